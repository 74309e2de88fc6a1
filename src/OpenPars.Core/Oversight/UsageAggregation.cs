using OpenPars.Core.Agreements;

namespace OpenPars.Core.Oversight;

public enum UsageGrouping
{
    /// <summary>One row per agency, agreement and day.</summary>
    Day,

    /// <summary>One row per agency, agreement, user and day.</summary>
    User,
}

/// <summary>
/// One row of partner usage. <see cref="QueryHeadroom"/> is what is left of the per-user query quota (a day
/// row gives the tightest user's); <see cref="RecordHeadroom"/> what is left of the agency's record quota that
/// day. Both are null without the agreement's quotas. The policy refuses what would pass a quota, so a negative
/// headroom can only mean the log and the policy disagree; it is reported as it is, never clamped.
/// </summary>
public sealed record UsageRow(
    DateOnly Day,
    string AgencyCode,
    string? AgreementId,
    long? UserId,
    string? UserName,
    int Requests,
    int Allowed,
    IReadOnlyDictionary<string, int> RefusalsByCode,
    int RecordsDisclosed,
    int DistinctPersons,
    IReadOnlyDictionary<string, int> CriteriaUsed,
    int? QueryHeadroom,
    int? RecordHeadroom);

/// <summary>Usage per partner agency, agreement, (user) and day: a pure grouping of the observations.</summary>
public static class UsageAggregation
{
    /// <param name="observations">The partner requests observed, allowed and refused.</param>
    /// <param name="zone">The agreement's zone (<see cref="AgreementClock.ZoneOf"/>): days are its quota days.</param>
    /// <param name="groupBy">Per agency or per user.</param>
    /// <param name="quotasOf">The quotas of an agreement id, or null when unknown.</param>
    public static IReadOnlyList<UsageRow> Summarize(
        IEnumerable<PartnerAccessObservation> observations, TimeZoneInfo zone, UsageGrouping groupBy, Func<string, AgreementQuotas?>? quotasOf = null)
    {
        var withDay = observations.Select(o => (Observation: o, Day: SweepDetectors.LocalDay(o.Time, zone))).ToList();

        // Quota usage counts as the policy does: allowed requests per user, records per agency, per quota day.
        var queriesByUserDay = withDay.Where(x => x.Observation.Allowed)
            .GroupBy(x => (x.Observation.AgencyCode, x.Observation.UserId, x.Day)).ToDictionary(g => g.Key, g => g.Count());
        var recordsByAgencyDay = withDay.Where(x => x.Observation.Allowed)
            .GroupBy(x => (x.Observation.AgencyCode, x.Day)).ToDictionary(g => g.Key, g => g.Sum(x => x.Observation.ResultCount));

        var rows = new List<UsageRow>();
        foreach (var group in withDay.GroupBy(x => (x.Observation.AgencyCode, x.Observation.AgreementId, UserId: groupBy == UsageGrouping.User ? x.Observation.UserId : (long?)null, x.Day)))
        {
            var items = group.Select(x => x.Observation).ToList();
            var (agency, agreementId, userId, day) = group.Key;
            var quotas = agreementId is not null ? quotasOf?.Invoke(agreementId) : null;
            int? queryHeadroom = null;
            if (quotas is not null)
            {
                var users = userId is { } only ? [only] : items.Select(o => o.UserId).Distinct().ToList();
                queryHeadroom = users.Min(u => quotas.QueriesPerUserPerDay - queriesByUserDay.GetValueOrDefault((agency, u, day)));
            }

            rows.Add(new UsageRow(
                day,
                agency,
                agreementId,
                userId,
                userId is null ? null : items[0].UserName,
                items.Count,
                items.Count(o => o.Allowed),
                Tally(items.Where(o => !o.Allowed).Select(o => o.RefusalCode ?? "unknown")),
                items.Where(o => o.Allowed).Sum(o => o.ResultCount),
                items.SelectMany(o => o.Disclosed).Select(r => r.PersonKey).Distinct(StringComparer.Ordinal).Count(),
                Tally(items.SelectMany(o => o.Criteria.Where(c => !string.IsNullOrWhiteSpace(c.Value)).Select(c => CriterionName(c.Key)))),
                queryHeadroom,
                quotas is null ? null : quotas.RecordsPerAgencyPerDay - recordsByAgencyDay.GetValueOrDefault((agency, day))));
        }

        return [.. rows.OrderBy(r => r.Day).ThenBy(r => r.AgencyCode, StringComparer.Ordinal).ThenBy(r => r.AgreementId, StringComparer.Ordinal).ThenBy(r => r.UserName, StringComparer.Ordinal)];
    }

    /// <summary>The catalogue name, or the name as sent (clipped): a refused prohibited criterion must show up as itself.</summary>
    private static string CriterionName(string name) =>
        SearchCriteria.TryCanonical(name, out var canonical) ? canonical : (name.Length <= 50 ? name.Trim() : name[..50].Trim());

    private static SortedDictionary<string, int> Tally(IEnumerable<string> names)
    {
        var tally = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var name in names)
        {
            tally[name] = tally.GetValueOrDefault(name) + 1;
        }

        return tally;
    }
}
