using OpenPars.Core.Agreements;
using OpenPars.Core.Oversight;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Oversight;

public class UsageAggregationTests
{
    private static readonly DateTimeOffset T = Observations.Tuesday10;
    private static readonly AgreementQuotas Quotas = new() { QueriesPerUserPerDay = 50, RecordsPerAgencyPerDay = 500 };

    private static Observations Traffic()
    {
        var log = new Observations();
        log.Search(T, "Garcia", "1990-04-01", results: 2);
        log.Search(T.AddMinutes(1), "Garcia", "1990-04-01", results: 2); // the same two persons again
        log.Read(T.AddMinutes(2), "26-0000042", user: 8);
        log.Refused(T.AddMinutes(3), "PARS-AGR-020", new Dictionary<string, string> { ["placeOfBirth"] = "Mexico", ["LASTNAME"] = "Li" });
        log.Refused(T.AddMinutes(4), "PARS-AGR-030", new Dictionary<string, string> { ["sid"] = "1" });
        // 23:30 local on Tuesday is still Tuesday in Philadelphia though already Wednesday in UTC.
        log.Search(new DateTimeOffset(2026, 11, 3, 23, 30, 0, TimeSpan.FromHours(-5)), "Kim", "1985-01-01", results: 1);
        log.Search(T.AddDays(1), "Kim", "1985-01-01", results: 1);
        return log;
    }

    [Fact]
    public void A_day_row_counts_requests_refusals_records_distinct_persons_and_criteria_in_the_city_s_days()
    {
        var rows = UsageAggregation.Summarize(Traffic().All, Observations.Philadelphia, UsageGrouping.Day, _ => Quotas);

        rows.Count.ShouldBe(2);
        var tuesday = rows[0];
        tuesday.Day.ShouldBe(new DateOnly(2026, 11, 3));
        tuesday.Requests.ShouldBe(6);
        tuesday.Allowed.ShouldBe(4);
        tuesday.RefusalsByCode.ShouldBe(new Dictionary<string, int> { ["PARS-AGR-020"] = 1, ["PARS-AGR-030"] = 1 });
        tuesday.RecordsDisclosed.ShouldBe(6);
        tuesday.DistinctPersons.ShouldBe(4);
        tuesday.CriteriaUsed["lastName"].ShouldBe(4);        // "LASTNAME" counted under its catalogue name
        tuesday.CriteriaUsed["placeOfBirth"].ShouldBe(1);    // a prohibited attempt shows as itself
        tuesday.RecordHeadroom.ShouldBe(494);
        tuesday.QueryHeadroom.ShouldBe(47);                   // the tightest user: user7 made 3 allowed requests
        rows[1].Day.ShouldBe(new DateOnly(2026, 11, 4));
    }

    [Fact]
    public void A_user_row_has_the_user_s_own_query_headroom_and_the_agency_s_record_headroom()
    {
        var rows = UsageAggregation.Summarize(Traffic().All, Observations.Philadelphia, UsageGrouping.User, _ => Quotas);

        var user8 = rows.Single(r => r.UserId == 8);
        user8.Requests.ShouldBe(1);
        user8.QueryHeadroom.ShouldBe(49);
        user8.RecordHeadroom.ShouldBe(494);
        rows.Where(r => r.Day == new DateOnly(2026, 11, 3)).Sum(r => r.Requests).ShouldBe(6);
    }

    [Fact]
    public void Without_the_agreement_s_quotas_there_is_no_headroom()
    {
        var rows = UsageAggregation.Summarize(Traffic().All, Observations.Philadelphia, UsageGrouping.Day);

        rows.ShouldAllBe(r => r.QueryHeadroom == null && r.RecordHeadroom == null);
    }
}
