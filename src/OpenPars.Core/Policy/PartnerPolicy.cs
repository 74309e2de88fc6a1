using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Charter;
using OpenPars.Core.Policy.Checks;

namespace OpenPars.Core.Policy;

/// <summary>
/// The decision on one partner request: a pure function of (caller, agreement, request, quota usage, now).
/// The same inputs always give the same decision; nothing here reads a clock, a database or a setting.
/// </summary>
public static class PartnerPolicy
{
    /// <summary>
    /// The ordered pipeline. The first refusal wins, so the order is part of the contract: an expired agreement
    /// with a missing purpose is -003, not -010. Add a step by writing one small <see cref="IPolicyCheck"/> in
    /// Checks/ and placing it here; never reorder released steps without a note in Policy/README.md.
    /// </summary>
    public static IReadOnlyList<IPolicyCheck> Checks { get; } =
    [
        new AgreementExists(),        // PARS-AGR-001
        new AgreementEffective(),     // PARS-AGR-002
        new AgreementNotExpired(),    // PARS-AGR-003
        new AgreementInForce(),       // PARS-AGR-004
        new AgreementFitsCharter(),   // PARS-CHR-0xx (the charter rule the version in force breaks)
        new PurposeAllowed(),         // PARS-AGR-010
        new ReasonStated(),           // PARS-AGR-011
        new ReasonTermsAllowed(),     // PARS-AGR-013
        new CaseNumberStated(),       // PARS-AGR-012
        new NoProhibitedCriteria(),   // PARS-AGR-020
        new CriteriaAllowed(),        // PARS-AGR-021
        new IdentifiesPerson(),       // PARS-AGR-022
        new WithinQuota(),            // PARS-AGR-030 (429)
        new OperationGranted(),       // PARS-AGR-040
    ];

    /// <summary>Decides with the agreement's events (all of them; the status is computed at <paramref name="now"/>,
    /// each vote under the charter in force when it was cast) and the charters over time.
    /// An empty history means the partner has no agreement.</summary>
    public static PolicyDecision Decide(
        Caller caller, IReadOnlyList<AgreementEvent> agreement, CharterTimeline charters, PartnerRequest request, QuotaUsage usage, DateTimeOffset now,
        PolicyOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(charters);
        return Decide(caller, AgreementStatusCalculator.StatusAt(agreement, charters, now), charters.At(now), request, usage, now, options);
    }

    /// <summary>Decides with a standing already computed at <paramref name="now"/> (e.g. cached for one request) and
    /// the charter in force at <paramref name="now"/>. A standing computed at another instant is recomputed nowhere:
    /// it is refused as no agreement.</summary>
    public static PolicyDecision Decide(
        Caller caller, AgreementStanding standing, CharterDocument charterInForce, PartnerRequest request, QuotaUsage usage, DateTimeOffset now,
        PolicyOptions? options = null)
    {
        if (standing.At != now)
        {
            standing = AgreementStanding.None(now);
        }

        var context = new PolicyContext(caller, standing, request, usage, now, options ?? PolicyOptions.Default) { Charter = charterInForce };
        foreach (var check in Checks)
        {
            if (check.Check(context) is { } refused)
            {
                return refused;
            }
        }

        return Allow(context);
    }

    private static PolicyDecision.Allowed Allow(PolicyContext context)
    {
        var agreement = context.Agreement;
        var columns = agreement.Grants();
        var criteria = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in context.Request.Criteria)
        {
            if (!string.IsNullOrWhiteSpace(value) && SearchCriteria.TryCanonical(name, out var canonical))
            {
                criteria[canonical] = value.Trim();
            }
        }

        return new PolicyDecision.Allowed
        {
            AgreementId = agreement.AgreementId,
            AgreementVersion = agreement.Version,
            ExpiresAt = agreement.ExpiresAt,
            Operation = context.Request.Operation,
            Purpose = PurposeAllowed.Match(agreement, context.Request.Purpose)!,
            Scope = agreement.RowScope,
            BookedSince = agreement.RowScope.BookedSince(context.Now),
            Columns = columns,
            DisclosedFields = [.. columns.Select(c => c.Field)],
            Criteria = criteria,
            ArrestNumber = context.Request.Operation == PartnerOperation.Read ? context.Request.ArrestNumber?.Trim() : null,
            MaxRecords = agreement.Quotas.RecordsPerAgencyPerDay - context.Usage.RecordsByAgencyToday,
        };
    }
}
