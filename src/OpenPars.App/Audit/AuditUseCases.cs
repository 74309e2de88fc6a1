using System.Globalization;
using OpenPars.App.Arrests;
using OpenPars.App.Identity;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Audit;

namespace OpenPars.App.Audit;

/// <summary>The audit-log filters as an adapter received them (null when absent).</summary>
public sealed record AuditEntriesRequest
{
    public string? Actor { get; init; }
    public string? Agency { get; init; }
    public string? ArrestNumber { get; init; }
    public string? Outcome { get; init; }
    public string? EventType { get; init; }
    public string? Code { get; init; }
    public string? Agreement { get; init; }
    public string? Purpose { get; init; }
    public string? From { get; init; }
    public string? To { get; init; }
    public string? Cursor { get; init; }
    public string? Limit { get; init; }
}

/// <summary>The privacy officer's view of the audit log, and the proofs an outside auditor checks. Reading the log is itself logged.</summary>
public sealed class AuditUseCases(AuditReader reader, IdentityStore identity, AuditScope audit)
{
    /// <summary>The longest agreement id or purpose a filter may name (the columns hold 64 characters; a purpose
    /// is one of an agreement's short purpose names).</summary>
    public const int MaxFilterLength = 64;

    public Task<AuditEntryPage> EntriesAsync(Caller caller, AuditEntriesRequest request, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.AuditEntriesRead, async () =>
        {
            Access.Require(caller, Access.PrivacyOfficer);
            var errors = new ValidationErrors();
            long? userId = null;
            if (request.Actor is { } actor)
            {
                userId = long.TryParse(actor, NumberStyles.None, CultureInfo.InvariantCulture, out var id) ? id
                    : (await identity.FindUserByNameAsync(actor, ct))?.Id ?? -1;
            }

            errors.Require(request.Outcome is null or "allowed" or "refused" or "failed", "outcome", "outcome-value", "outcome is allowed, refused or failed.");
            int? eventType = null;
            if (request.EventType is { } type)
            {
                eventType = int.TryParse(type, NumberStyles.None, CultureInfo.InvariantCulture, out var t) && Enum.IsDefined((AuditEventType)t) ? t : null;
                errors.Require(eventType is not null, "eventType", "unknown-event-type", "eventType must be the number of a known audit event type.");
            }

            errors.Require(request.Code is null || ErrorCatalogue.IsCatalogued(request.Code), "code", "unknown-code", "code must be a code of the error catalogue (docs/errors.md).");
            errors.Require(request.Agreement is null || request.Agreement.Length <= MaxFilterLength, "agreement", "max-length", $"agreement is at most {MaxFilterLength} characters.");
            errors.Require(request.Purpose is null || request.Purpose.Length <= MaxFilterLength, "purpose", "max-length", $"purpose is at most {MaxFilterLength} characters.");
            long? before = null;
            if (request.Cursor is { } cursor)
            {
                before = long.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out var c) ? c : null;
                errors.Require(before is not null, "cursor", "cursor-format", "cursor must be a nextCursor value from an earlier page.");
            }

            var filter = new AuditEntryFilter
            {
                UserId = userId,
                Agency = request.Agency,
                ArrestNumber = request.ArrestNumber,
                Outcome = request.Outcome,
                EventType = eventType,
                Code = request.Code,
                AgreementId = request.Agreement,
                Purpose = request.Purpose,
                From = RequestParsing.Instant(request.From, "from", errors),
                To = RequestParsing.Instant(request.To, "to", errors),
                Before = before,
                Limit = RequestParsing.Limit(request.Limit, errors),
            };
            RequestParsing.ThrowIfAny(errors);
            return await reader.EntriesAsync(filter, ct);
        });

    /// <summary>The newest signed checkpoint, or the one at <paramref name="size"/>.</summary>
    public Task<CheckpointView> CheckpointAsync(Caller caller, string? size, bool latest, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.AuditCheckpointsRead, async () =>
        {
            Access.Require(caller, Access.PrivacyOfficer);
            long? at = null;
            if (!latest)
            {
                var errors = new ValidationErrors();
                at = RequestParsing.WholeNumber(size, "size", errors, required: true);
                RequestParsing.ThrowIfAny(errors);
            }

            return await reader.CheckpointAsync(at, ct)
                ?? throw new DomainException(ErrorCodes.AuditCheckpointNotFound, at is null ? "No checkpoint has been signed yet." : $"No checkpoint was signed at size {at}.");
        });

    public Task<InclusionProofView> InclusionProofAsync(Caller caller, string? index, string? treeSize, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.AuditInclusionProofRead, () =>
        {
            Access.Require(caller, Access.PrivacyOfficer);
            var errors = new ValidationErrors();
            var i = RequestParsing.WholeNumber(index, "index", errors, required: true);
            var size = RequestParsing.WholeNumber(treeSize, "treeSize", errors, required: true);
            RequestParsing.ThrowIfAny(errors);
            return reader.InclusionProofAsync(i!.Value, size!.Value, ct);
        });

    /// <summary>One entry as it was hashed, with the newest signed checkpoint and the entry's inclusion path in it: the
    /// audit explorer's entry page, whose script checks both in the browser. One read, one entry (an inclusion-proof
    /// read, 6003); an index outside the log is <c>PARS-AUD-003</c>.</summary>
    public Task<ProvenEntryView> ProvenEntryAsync(Caller caller, string? index, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.AuditInclusionProofRead, async () =>
        {
            Access.Require(caller, Access.PrivacyOfficer);
            var errors = new ValidationErrors();
            var i = RequestParsing.WholeNumber(index, "index", errors, required: true);
            RequestParsing.ThrowIfAny(errors);
            return await reader.ProvenEntryAsync(i!.Value, ct)
                ?? throw new DomainException(ErrorCodes.AuditRangeInvalid, $"The log has no entry {i}.");
        });

    public Task<ConsistencyProofView> ConsistencyProofAsync(Caller caller, string? from, string? to, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.AuditConsistencyProofRead, () =>
        {
            Access.Require(caller, Access.PrivacyOfficer);
            var errors = new ValidationErrors();
            var f = RequestParsing.WholeNumber(from, "from", errors, required: true);
            var t = RequestParsing.WholeNumber(to, "to", errors, required: true);
            RequestParsing.ThrowIfAny(errors);
            return reader.ConsistencyProofAsync(f!.Value, t!.Value, ct);
        });
}
