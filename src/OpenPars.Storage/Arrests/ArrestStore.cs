using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Arraignment;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Core.Arrests;
using OpenPars.Core.Charging;
using OpenPars.Core.Common;
using OpenPars.Storage.Audit;
using OpenPars.Storage.Common;
using OpenPars.Storage.Events;

namespace OpenPars.Storage.Arrests;

/// <summary>
/// Every command on arrests: decide with the pure domain rules, then append the event and update the
/// projection in one transaction. A failed command changes nothing.
/// </summary>
public sealed class ArrestStore(OpenParsDbContext db, ReferenceData reference, TimeProvider clock, AuditTrail audit)
{
    public sealed record BookingResult(ArrestRecord Record, bool Created);

    /// <summary>A booking by a user with no right to backdate (see the overload with roles).</summary>
    public Task<BookingResult> BookAsync(BookArrest request, Actor actor, string? idempotencyKey, CancellationToken ct = default) =>
        BookAsync(request, actor, [], idempotencyKey, ct);

    /// <param name="request">The booking as submitted.</param>
    /// <param name="actor">The booking user.</param>
    /// <param name="idempotencyKey">A retry with the same key gets the first booking back, written once.</param>
    /// <param name="ct">Cancels before the commit.</param>
    /// <param name="actorRoles">The booking user's roles: a records admin may backdate beyond the window with a reason.</param>
    public async Task<BookingResult> BookAsync(BookArrest request, Actor actor, IReadOnlyCollection<string> actorRoles, string? idempotencyKey, CancellationToken ct = default)
    {
        var now = StoredTime.Now(clock);

        // Validate before taking a number, so bad input never consumes one.
        var errors = new ValidationErrors();
        var booked = Booking.Validate(WithStoredTimes(request), actorRoles, reference, now, errors);
        if (!errors.IsEmpty)
        {
            throw errors.ToException();
        }

        var requestHash = idempotencyKey is null ? [] : SHA256.HashData(JsonSerializer.SerializeToUtf8Bytes(request, OpenParsJson.Options));
        if (idempotencyKey is not null && await FindIdempotentAsync(actor, idempotencyKey, requestHash, ct) is { } earlier)
        {
            return Replayed(earlier);
        }

        try
        {
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            var number = (await TakeArrestNumbersAsync(now, 1, ct))[0];
            var evt = booked with { ArrestNumber = number, Sequence = 1, RecordedAt = now, Actor = actor };
            var record = ArrestProjection.Apply(null, evt);
            var row = new ArrestRow();
            ArrestRowMapping.Write(row, record);
            db.Arrests.Add(row);
            await db.SaveChangesAsync(ct);

            db.InvolvedParties.AddRange(ArrestRowMapping.PartyRows(row.Id, record.InvolvedParties));
            if (idempotencyKey is not null)
            {
                db.IdempotencyKeys.Add(new IdempotencyRow
                {
                    UserId = actor.UserId,
                    Key = idempotencyKey,
                    RequestHash = requestHash,
                    ArrestNumber = number,
                    CreatedAt = now,
                });
            }

            await db.SaveChangesAsync(ct);
            await EventLog.AppendAsync(db, audit, AuditEventType.ArrestBooked, [number], [ToNewEvent(evt)], ct);
            await tx.CommitAsync(ct);
            return new BookingResult(record, true);
        }
        catch (DbUpdateException) when (idempotencyKey is not null)
        {
            // A concurrent retry with the same key won the race; answer with its booking.
            db.ChangeTracker.Clear();
            return Replayed(await FindIdempotentAsync(actor, idempotencyKey, requestHash, ct)
                ?? throw new DomainException(ErrorCodes.ConcurrentChange, "The booking could not be completed; retry."));
        }
    }

    /// <summary>A retry answered from the first booking: no write, so it is audited as a read of that arrest.</summary>
    private BookingResult Replayed(ArrestRecord earlier)
    {
        audit.EventType = AuditEventType.ArrestBooked;
        audit.Touched(earlier.ArrestNumber);
        audit.Payload(new ArrestBookedV1(IdempotentReplay: true));
        return new BookingResult(earlier, false);
    }

    public async Task<ArrestRecord?> GetAsync(string arrestNumber, CancellationToken ct = default)
    {
        var row = await db.Arrests.AsNoTracking().Include(a => a.Charges).SingleOrDefaultAsync(a => a.ArrestNumber == arrestNumber, ct);
        if (row is null)
        {
            return null;
        }

        var parties = await db.InvolvedParties.AsNoTracking().Where(p => p.ArrestId == row.Id).ToListAsync(ct);
        audit.Touched(arrestNumber);
        return ArrestRowMapping.Read(row, parties);
    }

    public async Task<IReadOnlyList<ArrestEvent>?> HistoryAsync(string arrestNumber, CancellationToken ct = default)
    {
        var id = await db.Arrests.Where(a => a.ArrestNumber == arrestNumber).Select(a => (long?)a.Id).SingleOrDefaultAsync(ct);
        if (id is null)
        {
            return null;
        }

        audit.Touched(arrestNumber);
        var events = await EventLog.ReadAsync(db, EventStreams.Arrest, arrestNumber, ct);
        return events.Select(e => JsonSerializer.Deserialize<ArrestEvent>(e.Body, OpenParsJson.Options)!).ToList();
    }

    public Task<ArrestRecord> CorrectAsync(string arrestNumber, int expectedVersion, CorrectArrest request, Actor actor, CancellationToken ct = default) =>
        AppendAsync(arrestNumber, expectedVersion, AuditEventType.ArrestCorrected, (current, now) => Correction.Decide(current, WithStoredTimes(request), actor, reference, now), ct);

    public Task<ArrestRecord> DecideChargingAsync(string arrestNumber, ChargingDecision request, Actor actor, CancellationToken ct = default) =>
        AppendAsync(arrestNumber, null, AuditEventType.ChargingDecided, (current, now) => ChargingReview.Decide(current, request, actor, reference, now), ct);

    public Task<ArrestRecord> RecordArraignmentAsync(string arrestNumber, ArraignmentRecord request, Actor actor, CancellationToken ct = default) =>
        AppendAsync(arrestNumber, null, AuditEventType.ArraignmentRecorded, (current, now) => PreliminaryArraignment.Decide(current, request with { ArraignedAt = StoredTime.Truncate(request.ArraignedAt) }, actor, now), ct);

    public async Task<ArrestPage> SearchAsync(ArrestQuery query, CancellationToken ct = default)
    {
        var page = await Summaries(SearchRows(db, query), query.Limit, ct);
        audit.Criterion("lastName", query.LastName);
        audit.Criterion("firstName", query.FirstName);
        audit.Criterion("dateOfBirth", query.DateOfBirth?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        audit.Criterion("bookedFrom", query.From is { } from ? Rfc3339UtcJsonConverter.ToText(from) : null);
        audit.Criterion("bookedTo", query.To is { } to ? Rfc3339UtcJsonConverter.ToText(to) : null);
        audit.Criterion("district", query.District);
        audit.Criterion("statute", query.Statute);
        audit.Criterion("status", query.Status is { } s ? ArrestStatusMachine.ToCode(s) : null);
        audit.Touched(page.Items.Select(i => i.ArrestNumber));
        return page;
    }

    /// <summary>The search as a query: every filter, newest first. Public so the benchmark measures exactly this SQL.</summary>
    public static IQueryable<ArrestRow> SearchRows(OpenParsDbContext db, ArrestQuery query)
    {
        var rows = db.Arrests.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.LastName))
        {
            var key = ArrestRowMapping.NameKey(query.LastName);
            rows = rows.Where(a => a.LastNameKey.StartsWith(key));
            if (db.Database.ProviderName == SqliteProvider && PrefixUpperBound(key) is { } upper)
            {
                // SQLite's LIKE is case-insensitive, so it cannot seek the BINARY index on last_name_key. The same prefix
                // as a range, exact under BINARY collation (not under every PostgreSQL collation), lets it seek; the LIKE
                // stays the definition.
                rows = rows.Where(a => string.Compare(a.LastNameKey, key) >= 0 && string.Compare(a.LastNameKey, upper) < 0);
            }
        }

        if (!string.IsNullOrWhiteSpace(query.FirstName))
        {
            var key = ArrestRowMapping.NameKey(query.FirstName);
            rows = rows.Where(a => a.FirstNameKey.StartsWith(key));
        }

        if (query.DateOfBirth is { } dob)
        {
            rows = rows.Where(a => a.DateOfBirth == dob);
        }

        if (query.From is { } from)
        {
            rows = rows.Where(a => a.BookedAt >= from);
        }

        if (query.To is { } to)
        {
            rows = rows.Where(a => a.BookedAt < to);
        }

        if (query.District is { } district)
        {
            rows = rows.Where(a => a.District == district);
        }

        if (query.Status is { } status)
        {
            var code = ArrestStatusMachine.ToCode(status);
            rows = rows.Where(a => a.Status == code);
        }

        if (query.Statute is { } citation)
        {
            rows = rows.Where(a => db.Charges.Any(c => c.ArrestId == a.Id && c.Citation == citation));
        }

        if (query.After is { } after)
        {
            rows = rows.Where(a => a.BookedAt < after.BookedAt || (a.BookedAt == after.BookedAt && a.Id < after.Id));
        }

        return rows.OrderByDescending(a => a.BookedAt).ThenByDescending(a => a.Id);
    }

    private const string SqliteProvider = "Microsoft.EntityFrameworkCore.Sqlite";

    /// <summary>The least string above every string that starts with <paramref name="prefix"/> (ordinal), when simple to give.</summary>
    public static string? PrefixUpperBound(string prefix) =>
        prefix.Length > 0 && prefix[^1] < '\uD7FF' ? string.Concat(prefix.AsSpan(0, prefix.Length - 1), ((char)(prefix[^1] + 1)).ToString()) : null;

    /// <summary>The charging desk's queue: arrests awaiting a decision, oldest booking first.</summary>
    public async Task<ArrestPage> ChargingQueueAsync(PageCursor? after, int limit, CancellationToken ct = default)
    {
        var awaiting = ArrestStatusMachine.ToCode(ArrestStatus.AwaitingCharging);
        var rows = db.Arrests.AsNoTracking().Where(a => a.Status == awaiting);
        if (after is not null)
        {
            rows = rows.Where(a => a.BookedAt > after.BookedAt || (a.BookedAt == after.BookedAt && a.Id > after.Id));
        }

        var page = await Summaries(rows.OrderBy(a => a.BookedAt).ThenBy(a => a.Id), limit, ct);
        audit.Touched(page.Items.Select(i => i.ArrestNumber));
        return page;
    }

    /// <summary>
    /// The arraignment court's list for one day: everyone charged and waiting (booked by the end of that day),
    /// oldest first, then those arraigned that day.
    /// </summary>
    public async Task<ArraignmentList> ArraignmentListAsync(DateTimeOffset dayStart, DateTimeOffset dayEnd, CancellationToken ct = default)
    {
        var charged = ArrestStatusMachine.ToCode(ArrestStatus.Charged);
        var waiting = await Summaries(
            db.Arrests.AsNoTracking().Where(a => a.Status == charged && a.BookedAt < dayEnd).OrderBy(a => a.BookedAt).ThenBy(a => a.Id),
            1000,
            ct);
        var done = await Summaries(
            db.Arrests.AsNoTracking().Where(a => a.ArraignedAt >= dayStart && a.ArraignedAt < dayEnd).OrderBy(a => a.ArraignedAt).ThenBy(a => a.Id),
            1000,
            ct);
        audit.Touched(waiting.Items.Concat(done.Items).Select(i => i.ArrestNumber));
        return new ArraignmentList(waiting.Items, done.Items);
    }

    /// <summary>Takes <paramref name="count"/> consecutive arrest numbers (yy-NNNNNNN) for the current year.</summary>
    public Task<IReadOnlyList<string>> TakeArrestNumbersAsync(DateTimeOffset now, int count, CancellationToken ct = default) =>
        TakeArrestNumbersAsync(db, now, count, ct);

    /// <summary>The same, on any context: the bulk writer reserves a block per batch.</summary>
    public static async Task<IReadOnlyList<string>> TakeArrestNumbersAsync(OpenParsDbContext db, DateTimeOffset now, int count, CancellationToken ct = default)
    {
        var year = now.UtcDateTime.Year;
        var last = (await db.Database.SqlQuery<long>(db.AdvanceCounterSql($"arrest-{year}", count)).ToListAsync(ct))[0];
        return Enumerable.Range(0, count).Select(i => ArrestNumbers.Format(year, last - count + 1 + i)).ToList();
    }

    private async Task<ArrestRecord> AppendAsync(string arrestNumber, int? expectedVersion, AuditEventType auditAs, Func<ArrestRecord, DateTimeOffset, ArrestEvent> decide, CancellationToken ct)
    {
        var now = StoredTime.Now(clock);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var row = await db.Arrests.Include(a => a.Charges).SingleOrDefaultAsync(a => a.ArrestNumber == arrestNumber, ct)
            ?? throw new DomainException(ErrorCodes.ArrestNotFound, Core.Arrests.ArrestNumbers.NotFoundMessage(arrestNumber));
        if (expectedVersion is { } expected && expected != row.Version)
        {
            throw new DomainException(ErrorCodes.ArrestStale, $"Arrest {arrestNumber} is at version {row.Version}, not {expected}; reload it and retry.");
        }

        var parties = await db.InvolvedParties.Where(p => p.ArrestId == row.Id).ToListAsync(ct);
        var current = ArrestRowMapping.Read(row, parties);
        var evt = decide(current, now);
        var next = ArrestProjection.Apply(current, evt);
        ArrestRowMapping.Write(row, next);
        if (evt is ArrestCorrected { InvolvedParties: not null })
        {
            db.InvolvedParties.RemoveRange(parties);
            db.InvolvedParties.AddRange(ArrestRowMapping.PartyRows(row.Id, next.InvolvedParties));
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException)
        {
            // Another command changed this arrest between our read and our write (the version check caught it).
            // Nothing of ours was written.
            throw new DomainException(ErrorCodes.ConcurrentChange, $"Arrest {arrestNumber} was changed at the same time; reload it and retry.");
        }

        await EventLog.AppendAsync(db, audit, auditAs, [arrestNumber], [ToNewEvent(evt)], ct);
        await tx.CommitAsync(ct);

        return next;
    }

    private static BookArrest WithStoredTimes(BookArrest request) => request with
    {
        BookedAt = StoredTime.Truncate(request.BookedAt),
        Incident = WithStoredTimes(request.Incident)!, // a missing incident stays missing, for validation to name
    };

    private static CorrectArrest WithStoredTimes(CorrectArrest request) => request with { Incident = WithStoredTimes(request.Incident) };

    private static Incident? WithStoredTimes(Incident? incident) => incident is null ? null : incident with { OccurredAt = StoredTime.Truncate(incident.OccurredAt) };

    private async Task<ArrestRecord?> FindIdempotentAsync(Actor actor, string key, byte[] requestHash, CancellationToken ct)
    {
        var earlier = await db.IdempotencyKeys.AsNoTracking().SingleOrDefaultAsync(k => k.UserId == actor.UserId && k.Key == key, ct);
        if (earlier is null)
        {
            return null;
        }

        if (!earlier.RequestHash.AsSpan().SequenceEqual(requestHash))
        {
            throw new DomainException(ErrorCodes.IdempotencyKeyReused, "This Idempotency-Key was used for a different booking.");
        }

        return await GetAsync(earlier.ArrestNumber, ct);
    }

    private static async Task<ArrestPage> Summaries(IQueryable<ArrestRow> ordered, int limit, CancellationToken ct)
    {
        // The API refuses other limits with a field error; a caller inside the process gets an exception, not a crash later.
        ArgumentOutOfRangeException.ThrowIfLessThan(limit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(limit, Math.Max(ArrestQuery.MaxLimit, 1000));
        var rows = await SummaryRows(ordered, limit).ToListAsync(ct);

        var items = rows.Take(limit).Select(a => new ArrestSummary
        {
            ArrestNumber = a.ArrestNumber,
            Status = ArrestStatusMachine.TryParse(a.Status, out var s) ? s : default,
            BookedAt = a.BookedAt,
            District = a.District,
            LastName = a.LastName,
            FirstName = a.FirstName,
            DateOfBirth = a.DateOfBirth,
            LeadCharge = a.LeadCitation,
            LeadGrade = a.LeadGrade,
            Version = a.Version,
        }).ToList();
        var next = rows.Count > limit ? new PageCursor(rows[limit - 1].BookedAt, rows[limit - 1].Id).Encode() : null;
        return new ArrestPage(items, next);
    }

    /// <summary>One page of summaries (one row more than the page, to know whether another follows) as a query.</summary>
    public static IQueryable<SummaryRow> SummaryRows(IQueryable<ArrestRow> ordered, int limit) =>
        ordered.Take(limit + 1).Select(a => new SummaryRow
        {
            Id = a.Id,
            ArrestNumber = a.ArrestNumber,
            Status = a.Status,
            BookedAt = a.BookedAt,
            District = a.District,
            LastName = a.LastName,
            FirstName = a.FirstName,
            DateOfBirth = a.DateOfBirth,
            Version = a.Version,

            // Two scalar subqueries (each an index seek on charges (arrest_id, position), for the page's rows only), not
            // one projected row: EF compiles a projected FirstOrDefault to ROW_NUMBER() over the whole charges table.
            LeadCitation = a.Charges.OrderBy(c => c.Position).Select(c => (string?)c.Citation).FirstOrDefault(),
            LeadGrade = a.Charges.OrderBy(c => c.Position).Select(c => (string?)c.Grade).FirstOrDefault(),
        });

    public sealed record SummaryRow
    {
        public long Id { get; init; }
        public string ArrestNumber { get; init; } = "";
        public string Status { get; init; } = "";
        public DateTimeOffset BookedAt { get; init; }
        public string District { get; init; } = "";
        public string LastName { get; init; } = "";
        public string FirstName { get; init; } = "";
        public DateOnly? DateOfBirth { get; init; }
        public int Version { get; init; }
        public string? LeadCitation { get; init; }
        public string? LeadGrade { get; init; }
    }

    /// <summary>An arrest event as the event log stores it; the bulk writer uses it too, so both paths store the same rows.</summary>
    public static NewEvent ToNewEvent(ArrestEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        return new NewEvent(EventStreams.Arrest, evt.ArrestNumber, evt.Sequence, EventType(evt), JsonSerializer.Serialize(evt, OpenParsJson.Options),
            evt.RecordedAt, evt.Actor.UserId, evt.Actor.AgencyCode);
    }

    private static string EventType(ArrestEvent evt) => evt switch
    {
        ArrestBooked => "arrest-booked",
        ArrestCorrected => "arrest-corrected",
        ChargingDecided => "charging-decided",
        ArraignmentRecorded => "arraignment-recorded",
        _ => throw new ArgumentOutOfRangeException(nameof(evt)),
    };
}

public sealed record ArraignmentList(IReadOnlyList<ArrestSummary> Waiting, IReadOnlyList<ArrestSummary> Arraigned);
