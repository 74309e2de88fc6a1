using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.App.Audit;
using OpenPars.Storage.Audit;
using OpenPars.Web.Audit;
using OpenPars.Web.OpenApi;
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
            .WithName("listAuditEntries").WithQuery("actor", "User name of the actor.").WithQuery("agency", "Agency code of the actor.").WithQuery("arrestNumber", "The arrest the entry is about.").WithQuery("outcome", "Outcome of the request.").WithQuery("eventType", "Event type code.").WithQuery("code", "The refusal code (PARS-…).").WithQuery("agreement", "The agreement the entry names (a partner's look under it, a vote on it).").WithQuery("purpose", "The purpose a partner stated.").WithQuery("from", "Recorded at or after this instant (RFC 3339).").WithQuery("to", "Recorded before this instant (RFC 3339).").WithQuery("cursor", "The cursor of the next page, from the previous answer.").WithQuery("limit", "Page size (1 to 100).").Refuses(ErrorCodes.ValidationFailed)
            .WithSummary("Audit entries, newest first, filtered by actor, agency, arrestNumber, outcome, eventType, from, to (privacy officer).");
        group.MapGet("/checkpoints/latest", Latest).RequireAuthorization(Policies.PrivacyOfficer).Audited(AuditEventType.AuditCheckpointsRead)
            .WithName("getLatestCheckpoint").Refuses(ErrorCodes.AuditCheckpointNotFound)
            .WithSummary("The newest signed checkpoint (privacy officer).");
        group.MapGet("/checkpoints", AtSize).RequireAuthorization(Policies.PrivacyOfficer).Audited(AuditEventType.AuditCheckpointsRead)
            .WithName("getCheckpoint").WithQuery("size", "Tree size of the checkpoint.").Refuses(ErrorCodes.ValidationFailed, ErrorCodes.AuditCheckpointNotFound)
            .WithSummary("The signed checkpoint at tree size `size` (privacy officer).");
        group.MapGet("/proofs/inclusion", Inclusion).RequireAuthorization(Policies.PrivacyOfficer).Audited(AuditEventType.AuditInclusionProofRead)
            .WithName("getInclusionProof").WithQuery("index", "Index of the entry.").WithQuery("treeSize", "Size of the tree.").Refuses(ErrorCodes.ValidationFailed, ErrorCodes.AuditRangeInvalid)
            .WithSummary("RFC 9162 inclusion proof of entry `index` in the tree of size `treeSize` (privacy officer).");
        group.MapGet("/proofs/consistency", Consistency).RequireAuthorization(Policies.PrivacyOfficer).Audited(AuditEventType.AuditConsistencyProofRead)
            .WithName("getConsistencyProof").WithQuery("from", "Smaller tree size.").WithQuery("to", "Larger tree size.").Refuses(ErrorCodes.ValidationFailed, ErrorCodes.AuditRangeInvalid)
            .WithSummary("RFC 9162 consistency proof between tree sizes `from` and `to` (privacy officer).");
        group.MapGet("/public-key", PublicKey).AllowAnonymous()
            .WithName("getAuditPublicKey")
            .WithSummary("The checkpoint-signing public key (PEM) and the log's origin line; public, so anyone can check a checkpoint.");
        return group;
    }

    private static async Task<Ok<AuditEntryPage>> Entries(HttpContext context, AuditUseCases audit)
    {
        var request = new AuditEntriesRequest
        {
            Actor = Query(context, "actor"),
            Agency = Query(context, "agency"),
            ArrestNumber = Query(context, "arrestNumber"),
            Outcome = Query(context, "outcome"),
            EventType = Query(context, "eventType"),
            Code = Query(context, "code"),
            Agreement = Query(context, "agreement"),
            Purpose = Query(context, "purpose"),
            From = Query(context, "from"),
            To = Query(context, "to"),
            Cursor = Query(context, "cursor"),
            Limit = Query(context, "limit"),
        };
        return TypedResults.Ok(await audit.EntriesAsync(context.User.ToCaller(), request, context.RequestAborted));
    }

    private static async Task<Ok<CheckpointView>> Latest(AuditUseCases audit, HttpContext context) =>
        TypedResults.Ok(await audit.CheckpointAsync(context.User.ToCaller(), null, latest: true, context.RequestAborted));

    private static async Task<Ok<CheckpointView>> AtSize(AuditUseCases audit, HttpContext context) =>
        TypedResults.Ok(await audit.CheckpointAsync(context.User.ToCaller(), Query(context, "size"), latest: false, context.RequestAborted));

    private static async Task<Ok<InclusionProofView>> Inclusion(AuditUseCases audit, HttpContext context) =>
        TypedResults.Ok(await audit.InclusionProofAsync(context.User.ToCaller(), Query(context, "index"), Query(context, "treeSize"), context.RequestAborted));

    private static async Task<Ok<ConsistencyProofView>> Consistency(AuditUseCases audit, HttpContext context) =>
        TypedResults.Ok(await audit.ConsistencyProofAsync(context.User.ToCaller(), Query(context, "from"), Query(context, "to"), context.RequestAborted));

    private static Ok<PublicKeyView> PublicKey(AuditLog log) => TypedResults.Ok(new PublicKeyView(log.Signing.Origin, log.Signing.PublicKeyPem, "ECDSA P-256 / SHA-256, DER; C2SP signed note type 0x02"));
}

public sealed record PublicKeyView(string Origin, string PublicKeyPem, string Algorithm);
