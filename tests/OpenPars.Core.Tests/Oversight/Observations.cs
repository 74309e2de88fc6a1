using OpenPars.Core.Agreements;
using OpenPars.Core.Oversight;

namespace OpenPars.Core.Tests.Oversight;

/// <summary>Partner requests for detector tests: each call is the next audit entry.</summary>
internal sealed class Observations
{
    public static readonly TimeZoneInfo Philadelphia = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    /// <summary>Tuesday 2026-11-03 10:00 in Philadelphia (EST, −05:00): inside working hours.</summary>
    public static readonly DateTimeOffset Tuesday10 = new(2026, 11, 3, 10, 0, 0, TimeSpan.FromHours(-5));

    private long _next = 1000;

    public List<PartnerAccessObservation> All { get; } = [];

    public PartnerAccessObservation Search(DateTimeOffset at, string lastName, string dateOfBirth, int results = 1, long user = 7, string agency = "ICE")
    {
        var disclosed = Enumerable.Range(0, results).Select(i => new DisclosedRecord($"26-{_next:D7}", $"pid:{lastName}-{dateOfBirth}-{i}")).ToList();
        return Add(new PartnerAccessObservation
        {
            EntryIndex = _next++, Time = at, UserId = user, UserName = $"user{user}", AgencyCode = agency, AgreementId = "ice-2026",
            Criteria = new Dictionary<string, string> { ["lastName"] = lastName, ["dateOfBirth"] = dateOfBirth },
            Disclosed = disclosed,
        });
    }

    public PartnerAccessObservation Read(DateTimeOffset at, string arrestNumber, long user = 7, string agency = "ICE", bool found = true) =>
        Add(new PartnerAccessObservation
        {
            EntryIndex = _next++, Time = at, UserId = user, UserName = $"user{user}", AgencyCode = agency, AgreementId = "ice-2026",
            Operation = PartnerOperation.Read,
            Allowed = found,
            RefusalCode = found ? null : "PARS-ARR-001",
            Criteria = new Dictionary<string, string> { ["arrestNumber"] = arrestNumber },
            Disclosed = found ? [new DisclosedRecord(arrestNumber, "pid:" + arrestNumber)] : [],
        });

    /// <summary>An allowed request that disclosed exactly these persons.</summary>
    public PartnerAccessObservation Disclosing(DateTimeOffset at, IEnumerable<string> personKeys, long user = 7, string agency = "ICE") =>
        Add(new PartnerAccessObservation
        {
            EntryIndex = _next++, Time = at, UserId = user, UserName = $"user{user}", AgencyCode = agency, AgreementId = "ice-2026",
            Criteria = new Dictionary<string, string> { ["sid"] = "x" },
            Disclosed = [.. personKeys.Select(k => new DisclosedRecord("26-" + _next.ToString("D7", System.Globalization.CultureInfo.InvariantCulture), k))],
        });

    public PartnerAccessObservation Refused(DateTimeOffset at, string code, IReadOnlyDictionary<string, string> criteria, long user = 7, string agency = "ICE") =>
        Add(new PartnerAccessObservation
        {
            EntryIndex = _next++, Time = at, UserId = user, UserName = $"user{user}", AgencyCode = agency, AgreementId = "ice-2026",
            Allowed = false, RefusalCode = code, Criteria = criteria,
        });

    public IReadOnlyList<OversightAlert> Alerts(DateTimeOffset now, SweepThresholds? thresholds = null) =>
        SweepDetectors.Evaluate(All, now, Philadelphia, thresholds);

    private PartnerAccessObservation Add(PartnerAccessObservation observation)
    {
        All.Add(observation);
        return observation;
    }
}
