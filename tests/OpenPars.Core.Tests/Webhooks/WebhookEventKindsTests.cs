using OpenPars.Core.Agencies;
using OpenPars.Core.Watches;
using OpenPars.Core.Webhooks;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Webhooks;

/// <summary>Which kinds an endpoint may subscribe to, for every audience and agency kind: the oversight alerts go to
/// stakeholder agencies only, a partner gets its watch notices and nothing else, an oversight endpoint the alerts only.</summary>
public sealed class WebhookEventKindsTests
{
    public static TheoryData<WebhookAudience, AgencyKind> Every()
    {
        var data = new TheoryData<WebhookAudience, AgencyKind>();
        foreach (var audience in Enum.GetValues<WebhookAudience>())
        {
            foreach (var kind in Enum.GetValues<AgencyKind>())
            {
                data.Add(audience, kind);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Every))]
    public void Alerts_reach_stakeholder_agencies_only_and_a_partner_only_its_watch_notices(WebhookAudience audience, AgencyKind kind)
    {
        var kinds = WebhookEventKinds.For(audience, kind);
        if (kind == AgencyKind.Partner)
        {
            kinds.ShouldBe(audience == WebhookAudience.Partner ? [WatchMatched.Type] : []);
            return;
        }

        switch (audience)
        {
            case WebhookAudience.Partner:
                kinds.ShouldBeEmpty();
                break;
            case WebhookAudience.Oversight:
                kinds.ShouldBe(WebhookEventKinds.AlertKinds);
                break;
            default:
                kinds.ShouldBe([.. WebhookEventKinds.For(kind), .. WebhookEventKinds.AlertKinds]);
                kinds.ShouldNotContain(WatchMatched.Type);
                break;
        }

        kinds.Distinct().Count().ShouldBe(kinds.Count);
    }

    [Fact]
    public void The_alert_kinds_are_the_alert_stream_event_types() =>
        WebhookEventKinds.AlertKinds.ShouldBe(["oversight-alert-raised", "oversight-alert-acknowledged"]);
}
