using OpenPars.Core.Agreements;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Agreements;

public class AgreementClockTests
{
    [Fact]
    public void The_quota_day_is_the_calendar_day_in_the_agreements_zone()
    {
        var document = TestAgreements.Document();

        // 23:00 in Philadelphia on 30 June is already 1 July in UTC; the quota day is still 30 June.
        var (start, end) = AgreementClock.QuotaDay(document, new DateTimeOffset(2026, 7, 1, 3, 0, 0, TimeSpan.Zero));
        start.ShouldBe(new DateTimeOffset(2026, 6, 30, 4, 0, 0, TimeSpan.Zero));
        end.ShouldBe(new DateTimeOffset(2026, 7, 1, 4, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void The_day_clocks_spring_forward_has_23_hours()
    {
        var (start, end) = AgreementClock.QuotaDay(TestAgreements.Document(), new DateTimeOffset(2026, 3, 8, 12, 0, 0, TimeSpan.Zero));
        start.ShouldBe(new DateTimeOffset(2026, 3, 8, 5, 0, 0, TimeSpan.Zero));
        (end - start).ShouldBe(TimeSpan.FromHours(23));
    }

    [Fact]
    public void Another_zone_moves_the_day_not_the_expiry()
    {
        var utc = TestAgreements.Document() with { TimeZone = "UTC" };
        AgreementClock.QuotaDay(utc, new DateTimeOffset(2026, 7, 1, 3, 0, 0, TimeSpan.Zero)).Start
            .ShouldBe(new DateTimeOffset(2026, 7, 1, 0, 0, 0, TimeSpan.Zero));
        AgreementClock.Format(utc.ExpiresAt, TimeZoneInfo.Utc).ShouldBe("2027-01-01 04:59:59 +00:00 (UTC)");
    }
}
