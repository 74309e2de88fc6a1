using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Audit;
using OpenPars.Web.Audit;
using OpenPars.Web.Security;
using static OpenPars.Web.Endpoints.HttpConventions;

namespace OpenPars.Web.Endpoints;

/// <summary>The privacy officer's view of the audit log, and the proofs an outside auditor checks. Reading the log is itself logged.</summary>
public static class AuditApi
{
    public static RouteGroupBuilder MapAuditApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/audit").WithTags("Audit");
        group.MapGet("/entries", Entries).RequireAuthorization(Policies.PrivacyOfficer).Audited(AuditEventType.AuditEntriesRead)
            .WithSummary("Audit entries, newest first, filtered by actor, agency, arrestNumber, outcome, eventType, from, to (privacy officer).");
        group.MapGet("/checkpoints/latest", Latest).RequireAuthorization(Policies.PrivacyOfficer).Audited(AuditEventType.AuditCheckpointsRead)
            .WithSummary("The newest signed checkpoint (privacy officer).");
        group.MapGet("/checkpoints", AtSize).RequireAuthorization(Policies.PrivacyOfficer).Audited(AuditEventType.AuditCheckpointsRead)
            .WithSummary("The signed checkpoint at tree size `size` (privacy officer).");
        group.MapGet("/proofs/inclusion", Inclusion).RequireAuthorization(Policies.PrivacyOfficer).Audited(AuditEventType.AuditInclusionProofRead)
            .WithSummary("RFC 9162 inclusion proof of entry `index` in the tree of size `treeSize` (privacy officer).");
        group.MapGet("/proofs/consistency", Consistency).RequireAuthorization(Policies.PrivacyOfficer).Audited(AuditEventType.AuditConsistencyProofRead)
            .WithSummary("RFC 9162 consistency proof between tree sizes `from` and `to` (privacy officer).");
        group.MapGet("/public-key", PublicKey).AllowAnonymous()
            .WithSummary("The checkpoint-signing public key (PEM) and the log's origin line; public, so anyone can check a checkpoint.");
        return group;
    }

    private static async Task<Ok<AuditEntryPage>> Entries(HttpContext context, AuditReader reader, IdentityStore identity)
    {
        var errors = new ValidationErrors();
        long? userId = null;
        if (Query(context, "actor") is { } actor)
        {
            userId = long.TryParse(actor, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id
                : (await identity.FindUserByNameAsync(actor, context.RequestAborted))?.Id ?? -1;
        }

        string? outcome = Query(context, "outcome");
        errors.Require(outcome is null or "allowed" or "refused", "outcome", "outcome-value", "outcome is allowed or refused.");
        int? eventType = null;
        if (Query(context, "eventType") is { } type)
        {
            eventType = int.TryParse(type, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && Enum.IsDefined((AuditEventType)t) ? t : null;
            errors.Require(eventType is not null, "eventType", "unknown-event-type", "eventType must be the number of a known audit event type.");
        }

        long? before = null;
        if (Query(context, "cursor") is { } cursor)
        {
            before = long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : null;
            errors.Require(before is not null, "cursor", "cursor-format", "cursor must be a nextCursor value from an earlier page.");
        }

        var filter = new AuditEntryFilter
        {
            UserId = userId,
            Agency = Query(context, "agency"),
            ArrestNumber = Query(context, "arrestNumber"),
            Outcome = outcome,
            EventType = eventType,
            From = Instant(Query(context, "from"), "from", errors),
            To = Instant(Query(context, "to"), "to", errors),
            Before = before,
            Limit = Limit(Query(context, "limit"), errors),
        };
        ThrowIfAny(errors);
        return TypedResults.Ok(await reader.EntriesAsync(filter, context.RequestAborted));
    }

    private static async Task<Ok<CheckpointView>> Latest(AuditReader reader, HttpContext context) =>
        TypedResults.Ok(await reader.CheckpointAsync(null, context.RequestAborted)
            ?? throw new DomainException(ErrorCodes.AuditCheckpointNotFound, "No checkpoint has been signed yet."));

    private static async Task<Ok<CheckpointView>> AtSize(AuditReader reader, HttpContext context)
    {
        var errors = new ValidationErrors();
        var size = Number(Query(context, "size"), "size", errors, required: true);
        ThrowIfAny(errors);
        return TypedResults.Ok(await reader.CheckpointAsync(size, context.RequestAborted)
            ?? throw new DomainException(ErrorCodes.AuditCheckpointNotFound, $"No checkpoint was signed at size {size}."));
    }

    private static async Task<Ok<InclusionProofView>> Inclusion(AuditReader reader, HttpContext context)
    {
        var errors = new ValidationErrors();
        var index = Number(Query(context, "index"), "index", errors, required: true);
        var size = Number(Query(context, "treeSize"), "treeSize", errors, required: true);
        ThrowIfAny(errors);
        return TypedResults.Ok(await reader.InclusionProofAsync(index!.Value, size!.Value, context.RequestAborted));
    }

    private static async Task<Ok<ConsistencyProofView>> Consistency(AuditReader reader, HttpContext context)
    {
        var errors = new ValidationErrors();
        var from = Number(Query(context, "from"), "from", errors, required: true);
        var to = Number(Query(context, "to"), "to", errors, required: true);
        ThrowIfAny(errors);
        return TypedResults.Ok(await reader.ConsistencyProofAsync(from!.Value, to!.Value, context.RequestAborted));
    }

    private static Ok<PublicKeyView> PublicKey(AuditLog log) => TypedResults.Ok(new PublicKeyView(log.Signing.Origin, log.Signing.PublicKeyPem, "ECDSA P-256 / SHA-256, DER; C2SP signed note type 0x02"));

    private static long? Number(string? text, string field, ValidationErrors errors, bool required)
    {
        if (text is null)
        {
            errors.Require(!required, field, "required", $"{field} is required.");
            return null;
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value))
        {
            errors.Add(field, "whole-number", $"{field} must be a whole number ≥ 0.");
            return null;
        }

        return value;
    }
}

public sealed record PublicKeyView(string Origin, string PublicKeyPem, string Algorithm);
