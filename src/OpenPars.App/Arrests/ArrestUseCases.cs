using OpenPars.Core.Audit.Payloads;
using OpenPars.App.Audit;
using OpenPars.App.Identity;
using OpenPars.Core.Agencies;
using OpenPars.Core.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Storage.Arrests;

namespace OpenPars.App.Arrests;

/// <summary>A record and its history, as every stakeholder desk reads it.</summary>
public sealed record ArrestHistory(string ArrestNumber, IReadOnlyList<ArrestEvent> Events);

/// <summary>Booking, reading, searching and correcting arrests: the police desk and every stakeholder's lookup.</summary>
public sealed class ArrestUseCases(ArrestStore store, ReferenceData reference, TimeProvider clock, AuditScope audit)
{
    private const int MaxAuditedReason = 500;

    public const int MaxIdempotencyKeyLength = 200;

    /// <summary>Books an arrest; with an idempotency key, a retry answers with the first booking.</summary>
    public Task<ArrestStore.BookingResult> BookAsync(Caller caller, BookArrest request, string? idempotencyKey, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.ArrestBooked, () =>
        {
            Access.Require(caller, c => Access.BookingOfficer(c) || Access.RecordsAdmin(c));
            if (idempotencyKey is not null && (idempotencyKey.Length is 0 or > MaxIdempotencyKeyLength))
            {
                throw new ValidationErrors().Add("Idempotency-Key", "idempotency-key-length", $"Idempotency-Key must be 1 to {MaxIdempotencyKeyLength} characters.").ToException();
            }

            // Rule (issue 9): a booking more than the window in the past needs a records admin's backdating reason.
            // The records admin books nothing else (an administrator works no desk: separation of duties), and only
            // the role as held at the police counts; the reason is recorded in the event and on this entry.
            var backdated = (request.BookedAt ?? clock.GetUtcNow()) < clock.GetUtcNow() - BookingOptions.Default.BackdatingWindow;
            if (!Access.BookingOfficer(caller) && !backdated)
            {
                throw new DomainException(ErrorCodes.Forbidden, "A records admin enters only a backdated booking (bookedAt more than the backdating window in the past, with a backdatingReason); a booking officer books the rest.");
            }

            if (backdated && request.BackdatingReason is { } reason)
            {
                audit.Trail.Payload(new ArrestBookedV1(BackdatingReason: reason.Length <= MaxAuditedReason ? reason : reason[..MaxAuditedReason]));
            }

            IReadOnlyCollection<string> backdaters = Access.RecordsAdmin(caller) ? [Roles.RecordsAdmin] : [];
            return store.BookAsync(request, caller.ToActor(), backdaters, idempotencyKey, ct);
        });

    public Task<ArrestRecord> GetAsync(Caller caller, string arrestNumber, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.ArrestRead, async () =>
        {
            audit.Requested(arrestNumber);
            Access.Require(caller, Access.Stakeholder);
            return await store.GetAsync(arrestNumber, ct) ?? throw NotFound(arrestNumber);
        });

    public Task<ArrestHistory> HistoryAsync(Caller caller, string arrestNumber, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.ArrestHistoryRead, async () =>
        {
            audit.Requested(arrestNumber);
            Access.Require(caller, Access.Stakeholder);
            var events = await store.HistoryAsync(arrestNumber, ct) ?? throw NotFound(arrestNumber);
            return new ArrestHistory(arrestNumber, events);
        });

    public Task<ArrestPage> SearchAsync(Caller caller, ArrestSearchRequest request, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.ArrestsSearched, () =>
        {
            Access.Require(caller, Access.Stakeholder);
            return store.SearchAsync(ToQuery(request), ct);
        });

    /// <summary>Corrects an arrest; <paramref name="expectedVersion"/> is the version the caller corrected (If-Match).</summary>
    public Task<ArrestRecord> CorrectAsync(Caller caller, string arrestNumber, int expectedVersion, CorrectArrest request, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.ArrestCorrected, () =>
        {
            audit.Requested(arrestNumber);
            Access.Require(caller, Access.Corrections);
            return store.CorrectAsync(arrestNumber, expectedVersion, request, caller.ToActor(), ct);
        });

    /// <summary>Corrects an arrest from a whole form (the correction page): <paramref name="correction"/> makes the
    /// request from the version being corrected, so a section typed as it was is not sent and a field the form does not
    /// show is kept. The version read here is only compared with; <paramref name="expectedVersion"/> is still checked
    /// in the correcting transaction, so a change made meanwhile refuses the correction.</summary>
    public Task<ArrestRecord> CorrectAsync(Caller caller, string arrestNumber, int expectedVersion, Func<ArrestRecord, CorrectArrest> correction, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.ArrestCorrected, async () =>
        {
            ArgumentNullException.ThrowIfNull(correction);
            audit.Requested(arrestNumber);
            Access.Require(caller, Access.Corrections);
            var current = await store.GetAsync(arrestNumber, ct) ?? throw NotFound(arrestNumber);
            return await store.CorrectAsync(arrestNumber, expectedVersion, correction(current), caller.ToActor(), ct);
        });

    public static DomainException NotFound(string arrestNumber) => new(ErrorCodes.ArrestNotFound, OpenPars.Core.Arrests.ArrestNumbers.NotFoundMessage(arrestNumber));

    private ArrestQuery ToQuery(ArrestSearchRequest request)
    {
        var errors = new ValidationErrors();
        string? district = null;
        if (request.District is { Length: > 0 } d)
        {
            district = reference.Districts.TryFind(d, out var found) ? found.Code : null;
            errors.Require(district is not null, "district", "unknown-district", "district is not a known district.");
        }

        string? statute = null;
        if (request.Statute is { Length: > 0 } s)
        {
            statute = reference.Statutes.TryFind(s, out var found) ? found.Citation : null;
            errors.Require(statute is not null, "statute", "unknown-statute", "statute is not in the statutes file.");
        }

        ArrestStatus? status = null;
        if (request.Status is { Length: > 0 } st)
        {
            status = ArrestStatusMachine.TryParse(st, out var parsed) ? parsed : null;
            errors.Require(status is not null, "status", "unknown-status", "status is one of awaiting-charging, charged, declined, arraigned.");
        }

        var query = new ArrestQuery
        {
            LastName = RequestParsing.Text(request.LastName, "lastName", errors),
            FirstName = RequestParsing.Text(request.FirstName, "firstName", errors),
            DateOfBirth = RequestParsing.Date(request.DateOfBirth, "dateOfBirth", errors),
            From = RequestParsing.Instant(request.BookedFrom, "bookedFrom", errors),
            To = RequestParsing.Instant(request.BookedTo, "bookedTo", errors),
            District = district,
            Statute = statute,
            Status = status,
            After = RequestParsing.Cursor(request.Cursor, errors),
            Limit = RequestParsing.Limit(request.Limit, errors),
        };
        RequestParsing.ThrowIfAny(errors);
        return query;
    }
}
