using OpenPars.App.Audit;
using OpenPars.App.Identity;
using OpenPars.App.PartnerAccess;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Core.Common;
using OpenPars.Core.Policy;
using OpenPars.Core.Watches;
using OpenPars.Storage.Agreements;
using OpenPars.Storage.Charter;
using OpenPars.Storage.Common;
using OpenPars.Storage.Watches;

namespace OpenPars.App.Watches;

/// <summary>What a partner asks to watch: one identified person (search criteria) and, optionally, an expiry.</summary>
/// <param name="Criteria">Search criteria and their values (arrestNumber, lastName with dateOfBirth, sid or fbiNumber, …).</param>
/// <param name="ExpiresAt">When the watch stops; default and maximum the agreement's expiry.</param>
public sealed record WatchRequest(IReadOnlyDictionary<string, string>? Criteria, DateTimeOffset? ExpiresAt);

/// <summary>One watch as its agency (and the privacy officer) sees it.</summary>
/// <param name="Id">The watch id.</param>
/// <param name="Agency">The partner agency.</param>
/// <param name="AgreementId">The agreement it is under.</param>
/// <param name="RegisteredBy">The analyst who registered it.</param>
/// <param name="Criteria">The identifying criteria.</param>
/// <param name="Purpose">The stated purpose.</param>
/// <param name="CaseNumber">The stated case number.</param>
/// <param name="RegisteredAt">When.</param>
/// <param name="ExpiresAt">When it stops matching.</param>
/// <param name="CancelledAt">When it was cancelled, if it was.</param>
/// <param name="Status"><c>active</c>, <c>cancelled</c> or <c>expired</c>.</param>
public sealed record WatchView(
    string Id, string Agency, string AgreementId, string RegisteredBy, IReadOnlyDictionary<string, string> Criteria, string Purpose, string? CaseNumber,
    DateTimeOffset RegisteredAt, DateTimeOffset ExpiresAt, DateTimeOffset? CancelledAt, string Status)
{
    /// <summary>The view of a stored watch at <paramref name="now"/>.</summary>
    public static WatchView From(PartnerWatchRow row, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(row);
        var status = row.CancelledAt is not null ? "cancelled" : now >= row.ExpiresAt ? "expired" : "active";
        return new(row.WatchId, row.AgencyCode, row.AgreementId, row.UserName, WatchStore.CriteriaOf(row), row.Purpose, row.CaseNumber, row.RegisteredAt, row.ExpiresAt, row.CancelledAt, status);
    }
}

/// <summary>
/// Partner watches (issue 10 § Partner watches): a partner analyst registers a watch for one identified person under
/// the agency's agreement in force — the same decision as a search (<see cref="PartnerPolicy"/> with the operation
/// <c>watch</c>: purpose, reason, case number, prohibited and allowed criteria, identification, and the active-watch
/// quota, counted again under a lock) — lists and cancels the agency's watches; the privacy officer sees every active
/// watch. Every call is one audit entry (11010–11012, 11016).
/// </summary>
public sealed class WatchUseCases(WatchStore watches, AgreementStore agreements, CharterStore charters, TimeProvider clock, AuditScope audit)
{
    private const int MaxAuditedText = 500;

    /// <summary>Registers a watch; refused as a search would be, or with PARS-WCH-002/-004.</summary>
    public Task<WatchView> RegisterAsync(Caller caller, WatchRequest request, PartnerStatement statement, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.WatchRegistered, async () =>
        {
            ArgumentNullException.ThrowIfNull(request);
            ArgumentNullException.ThrowIfNull(statement);
            Access.Require(caller, Access.PartnerAnalyst);
            if (request.Criteria is not { Count: > 0 } criteria)
            {
                throw new DomainException(WatchErrorCodes.InvalidWatch, "A watch names one identified person in criteria.",
                    new ValidationErrors().Add("criteria", "required", "criteria is required: the search criteria that identify one person."));
            }

            foreach (var (name, value) in criteria)
            {
                audit.Trail.Criterion(Clip(name, 50), Clip(value ?? "", 100));
                if (string.Equals(name, SearchCriteria.ArrestNumber, StringComparison.OrdinalIgnoreCase) && !string.IsNullOrEmpty(value))
                {
                    audit.Requested(Clip(value, 100));
                }
            }

            var now = StoredTime.Now(clock);
            var agreement = await agreements.FindForPartnerAsync(caller.AgencyCode, now, ct);
            var governing = agreement?.Governing ?? await charters.GoverningAsync(caller.AgencyCode, ct);
            var partner = caller with { PartnerKind = governing.PartnerKind };
            var standing = AgreementStatusCalculator.StatusAt(agreement?.Events ?? [], governing.Charters, now);
            var noted = new WatchV1(AgreementId: agreement?.AgreementId, Purpose: Clipped(statement.Purpose), Reason: Clipped(statement.Reason), CaseNumber: Clipped(statement.CaseNumber));
            audit.Trail.Payload(noted);
            var watchRequest = PartnerRequest.Watch(criteria, statement.Purpose, statement.Reason, statement.CaseNumber);
            var active = agreement is null ? 0 : await watches.CountActiveAsync(caller.AgencyCode, now, ct);
            if (PartnerPolicy.Decide(partner, standing, governing.At(now), watchRequest, new QuotaUsage(0, 0, active), now) is PolicyDecision.Refused refused)
            {
                audit.Trail.Payload(noted with { Rule = refused.Rule });
                throw new DomainException(refused.Code, refused.Message);
            }

            var document = standing.Document!;
            if (WatchRules.Expiry(request.ExpiresAt is { } asked ? StoredTime.Truncate(asked) : null, document.ExpiresAt, now) is not { } expiry)
            {
                throw new DomainException(WatchErrorCodes.ExpiryOutOfRange, "expiresAt must be in the future and no later than the agreement's expiry.",
                    new ValidationErrors().Add("expiresAt", "within-agreement", $"expiresAt must be after now and at most {document.ExpiresAt:O}."));
            }

            // The count that holds: under the agency's watch lock, in the transaction that appends the registration.
            await using var reservation = await watches.ReserveAsync(caller.AgencyCode, now, ct);
            var locked = new PolicyContext(partner, standing, watchRequest, new QuotaUsage(0, 0, reservation.ActiveWatches), now, PolicyOptions.Default) { Charter = governing.At(now) };
            if (new Core.Policy.Checks.WithinQuota().Check(locked) is { } exceeded)
            {
                audit.Trail.Payload(noted with { Rule = exceeded.Rule });
                throw new DomainException(exceeded.Code, exceeded.Message);
            }

            var canonical = new SortedDictionary<string, string>(StringComparer.Ordinal);
            foreach (var (name, value) in criteria)
            {
                if (SearchCriteria.TryCanonical(name, out var known) && !string.IsNullOrWhiteSpace(value))
                {
                    canonical[known] = value.Trim();
                }
            }

            var purpose = Core.Policy.Checks.PurposeAllowed.Match(document, statement.Purpose)!;
            var registered = new WatchRegistered(WatchRules.NewId(), document.AgreementId, standing.Version, caller.AgencyId, caller.AgencyCode, caller.UserId, caller.UserName,
                canonical, purpose, Clipped(statement.Reason), Clipped(statement.CaseNumber), now, expiry);
            audit.Trail.Payload(noted with { WatchId = registered.WatchId, AgreementVersion = standing.Version, Purpose = purpose, ExpiresAt = expiry });
            return WatchView.From(await reservation.CommitAsync(registered, ct), now);
        });

    /// <summary>The caller's agency's watches, newest first (active, cancelled and expired).</summary>
    public Task<IReadOnlyList<WatchView>> ListAsync(Caller caller, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.WatchesListed, async () =>
        {
            Access.Require(caller, Access.PartnerAnalyst);
            var now = clock.GetUtcNow();
            return (IReadOnlyList<WatchView>)[.. (await watches.ListAsync(caller.AgencyCode, now, activeOnly: false, ct)).Select(w => WatchView.From(w, now))];
        });

    /// <summary>Cancels a watch of the caller's agency; another agency's id is a 404, on the record like any refusal.</summary>
    public Task<WatchView> CancelAsync(Caller caller, string watchId, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.WatchCancelled, async () =>
        {
            Access.Require(caller, Access.PartnerAnalyst);
            audit.Trail.Payload(new WatchV1(Clip(watchId, 32)));
            var row = await watches.CancelAsync(watchId, caller.AgencyCode, caller.ToActor(), ct);
            return WatchView.From(row, clock.GetUtcNow());
        });

    /// <summary>Every active watch of every partner, with its agreement and purpose (privacy officer).</summary>
    public Task<IReadOnlyList<WatchView>> OversightAsync(Caller caller, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.OversightWatchesRead, async () =>
        {
            Access.Require(caller, Access.PrivacyOfficer);
            var now = clock.GetUtcNow();
            return (IReadOnlyList<WatchView>)[.. (await watches.ListAsync(null, now, activeOnly: true, ct)).Select(w => WatchView.From(w, now))];
        });

    private static string? Clipped(string? text) => text is null ? null : Clip(text, MaxAuditedText);

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];
}
