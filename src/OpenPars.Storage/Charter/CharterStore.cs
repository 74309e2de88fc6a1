using System.Globalization;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Core.Charter;
using OpenPars.Core.Common;
using OpenPars.Storage.Audit;
using OpenPars.Storage.Common;
using OpenPars.Storage.Events;

namespace OpenPars.Storage.Charter;

/// <summary>The charter to adopt on a store that has none: the document and where it came from (the data file's name).</summary>
public sealed record CharterSource(CharterDocument Charter, string Name)
{
    /// <summary>The embedded data/charters/philadelphia.json.</summary>
    public static CharterSource Default { get; } = new(CharterJson.LoadDefault(), "data/charters/philadelphia.json");

    /// <summary>The environment variable naming the charter file to adopt on a store that has none.</summary>
    public const string EnvironmentVariable = "OPENPARS_CHARTER";

    /// <summary>A charter file named in configuration (its packs beside it, else the embedded ones).</summary>
    public static CharterSource FromFile(string path) => new(CharterJson.LoadFile(path), Path.GetFileName(path));

    /// <summary>The file named, or the embedded default when none is.</summary>
    public static CharterSource Configured(string? path) => string.IsNullOrWhiteSpace(path) ? Default : FromFile(path);
}

/// <summary>
/// The charter as stored: its events in the one event log (stream <see cref="EventStreams.Charter"/>, one stream per
/// store), each bound to the audit entry that recorded it. The first charter is adopted once from the data file
/// (<see cref="AdoptIfNoneAsync"/>, at start-up); after that it changes only by amendment with the consent of every
/// stakeholder agency (<see cref="CharterGovernance"/> decides; this store appends). Every read checks every event
/// against its entry (<see cref="EventLog.ReadAsync"/>): a forged charter row refuses every decision that needs the
/// charter (PARS-AUD-004) rather than taking effect, and no charter at all refuses with PARS-CHR-022.
/// </summary>
public sealed class CharterStore(OpenParsDbContext db, TimeProvider clock, AuditTrail audit)
{
    /// <summary>The one charter stream's id: a deployment has one charter, whatever its charterId.</summary>
    public const string StreamId = "charter";

    /// <summary>Every charter event, oldest first, each vouched for by its audit entry.</summary>
    /// <exception cref="DomainException">StoreDamaged: an event is not vouched for by the log.</exception>
    public async Task<IReadOnlyList<CharterEvent>> EventsAsync(CancellationToken ct = default) =>
        [.. (await EventLog.ReadAsync(db, EventStreams.Charter, StreamId, ct)).Select(e => Deserialize(e.Body))];

    /// <summary>The charters over time from the stored events (every version with the instant it came into force).</summary>
    /// <exception cref="DomainException">NoCharter when none was adopted; StoreDamaged when an event does not verify.</exception>
    public async Task<CharterTimeline> TimelineAsync(CancellationToken ct = default) => TimelineOf(await EventsAsync(ct));

    /// <summary>What governs the agreements of <paramref name="partnerAgency"/>: the stored charters and the partner
    /// agency's stored kind (null when it declared none, or is unknown: held to every partner rule).</summary>
    public async Task<GoverningCharter> GoverningAsync(string partnerAgency, CancellationToken ct = default)
    {
        var timeline = await TimelineAsync(ct);
        var kind = await db.Agencies.AsNoTracking().Where(a => a.Code == partnerAgency).Select(a => a.PartnerKind).SingleOrDefaultAsync(ct);
        return new GoverningCharter(timeline, kind);
    }

    /// <summary>The timeline of <paramref name="events"/>. Folded over every stored event: the timeline itself
    /// answers "in force at an instant", and events older than the adoption (agreements of a store made before the
    /// charter was stored) are governed by the first charter.</summary>
    public static CharterTimeline TimelineOf(IReadOnlyList<CharterEvent> events) =>
        CharterHistory.Fold(events, DateTimeOffset.MaxValue).Timeline
        ?? throw new DomainException(CharterErrorCodes.NoCharter, "No charter is in force: the store has adopted none (run `openpars migrate`).");

    /// <summary>A stakeholder's proposal of the next version of the charter.</summary>
    public Task<CharterAmendmentProposed> ProposeAsync(CharterDocument proposed, string statement, AgreementActor actor, CancellationToken ct = default) =>
        AppendAsync(AuditEventType.CharterAmendmentProposed, (history, now) =>
        {
            var decided = CharterGovernance.DecideAmendment(history, proposed, statement, actor, now);
            audit.Detail("charterVersion", decided.Charter.Version.ToString(CultureInfo.InvariantCulture));
            return decided;
        }, ct);

    /// <summary>A stakeholder agency's consent to or rejection of the open amendment of <paramref name="version"/>.</summary>
    public Task<CharterAmendmentVoteCast> VoteAsync(int version, VoteKind kind, string statement, AgreementActor voter, CancellationToken ct = default) =>
        AppendAsync(AuditEventType.CharterAmendmentVoteCast, (history, now) =>
        {
            audit.Detail("charterVersion", version.ToString(CultureInfo.InvariantCulture));
            audit.Detail("vote", JsonNamingPolicy.CamelCase.ConvertName(kind.ToString()));
            return CharterGovernance.DecideVote(history, version, kind, statement, voter, now);
        }, ct);

    /// <summary>
    /// Adopts <paramref name="source"/> as the first charter when the store has no charter event and never recorded
    /// an adoption: one event and its 10001 entry, in one transaction. A store whose adoption entry exists but whose
    /// charter rows are gone is damaged, not empty: nothing is adopted again (deleting the amended charter's rows must
    /// not bring back the data file's), and every charter read refuses until `openpars audit verify` is run.
    /// </summary>
    /// <param name="trail">Makes the audit trail the entry is appended through (called only when there is something to adopt).</param>
    /// <returns>True when this call adopted the charter.</returns>
    public static async Task<bool> AdoptIfNoneAsync(OpenParsDbContext db, CharterSource source, Func<AuditTrail> trail, TimeProvider clock, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(trail);
        if (await db.Events.AnyAsync(e => e.StreamType == EventStreams.Charter, ct)
            || await db.AuditEntries.AnyAsync(a => a.EventType == (int)AuditEventType.CharterAdopted, ct))
        {
            return false;
        }

        var audit = trail();
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var now = StoredTime.Now(clock);
        var adopted = CharterGovernance.DecideAdoption([], source.Charter, source.Name, new AgreementActor(0, audit.Origin.OsUser ?? "operator", "", Core.Agencies.AgencyKind.Police), now);
        audit.Detail("charterId", adopted.Charter.CharterId);
        audit.Detail("charterVersion", adopted.Charter.Version.ToString(CultureInfo.InvariantCulture));
        audit.Detail("source", source.Name);
        try
        {
            await EventLog.AppendAsync(db, audit, AuditEventType.CharterAdopted, [], [ToNewEvent(adopted)], ct);
            await tx.CommitAsync(ct);
            return true;
        }
        catch (Exception e) when (e is DbUpdateException || e is DomainException { Code: ErrorCodes.ConcurrentChange })
        {
            // Another process adopted it at the same time (the stream's version 1 is taken): theirs stands.
            return false;
        }
    }

    private async Task<TEvent> AppendAsync<TEvent>(AuditEventType auditAs, Func<IReadOnlyList<CharterEvent>, DateTimeOffset, TEvent> decide, CancellationToken ct)
        where TEvent : CharterEvent
    {
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var history = await EventsAsync(ct);
        var evt = decide(history, StoredTime.Now(clock));
        audit.Detail("sequence", evt.Sequence.ToString(CultureInfo.InvariantCulture));
        try
        {
            await EventLog.AppendAsync(db, audit, auditAs, [], [ToNewEvent(evt)], ct);
            await tx.CommitAsync(ct);
        }
        catch (DbUpdateException)
        {
            throw new DomainException(ErrorCodes.ConcurrentChange, "The charter was changed at the same time; reload it and retry.");
        }

        return evt;
    }

    private static NewEvent ToNewEvent(CharterEvent evt) =>
        new(EventStreams.Charter, StreamId, evt.Sequence, TypeOf(evt), JsonSerializer.Serialize(evt, CharterJson.Options), evt.RecordedAt, evt.Actor.UserId, evt.Actor.AgencyCode);

    private static CharterEvent Deserialize(string body) =>
        JsonSerializer.Deserialize<CharterEvent>(body, CharterJson.Options) ?? throw new InvalidOperationException("A charter event is null in the store.");

    private static string TypeOf(CharterEvent evt) => evt switch
    {
        CharterAdopted => "charter-adopted",
        CharterAmendmentProposed => "charter-amendment-proposed",
        CharterAmendmentVoteCast => "charter-amendment-vote-cast",
        _ => throw new ArgumentOutOfRangeException(nameof(evt)),
    };
}
