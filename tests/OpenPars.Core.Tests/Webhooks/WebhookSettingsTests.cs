using OpenPars.Core.Webhooks;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Webhooks;

/// <summary>The settings a command-line server reads its webhook address policy from: nothing allowed by default,
/// each agency its own list, and a malformed setting refused rather than read as more or less than it says.</summary>
public sealed class WebhookSettingsTests
{
    private static WebhookAddressPolicy Read(params (string Name, string Value)[] settings) =>
        WebhookSettings.Read(name => settings.FirstOrDefault(s => s.Name == name).Value);

    [Fact]
    public void Without_settings_no_agency_may_register_and_no_range_is_opened()
    {
        var policy = Read();
        policy.AllowedHosts.ShouldBeEmpty();
        policy.HttpHosts.ShouldBeEmpty();
        policy.AllowPrivate.ShouldBeFalse();
        policy.AllowLoopback.ShouldBeFalse();
        WebhookAddresses.CheckUrl("https://hooks.ice.example/x", "ICE", policy).Refusal.ShouldNotBeNull();
    }

    [Fact]
    public void Each_agency_gets_its_own_hosts_and_no_other_agencys()
    {
        var policy = Read(
            (WebhookSettings.AllowedHosts, " ICE = hooks.ice.example , *.ice.example ; PPD=jms.city.example"),
            (WebhookSettings.HttpHosts, "jms.city.example"),
            (WebhookSettings.AllowPrivate, "true"));
        policy.AllowedHosts["ICE"].ShouldBe(["hooks.ice.example", "*.ice.example"]);
        policy.AllowPrivate.ShouldBeTrue();
        policy.AllowLoopback.ShouldBeFalse();
        WebhookAddresses.CheckUrl("https://a.ice.example/x", "ICE", policy).Refusal.ShouldBeNull();
        WebhookAddresses.CheckUrl("http://jms.city.example/x", "PPD", policy).Refusal.ShouldBeNull();
        // ICE cannot send to the police's receiver, nor over http.
        WebhookAddresses.CheckUrl("https://jms.city.example/x", "ICE", policy).Refusal.ShouldNotBeNull();
        WebhookAddresses.CheckUrl("http://hooks.ice.example/x", "ICE", policy).Refusal.ShouldNotBeNull();
    }

    [Theory]
    [InlineData(WebhookSettings.AllowedHosts, "hooks.ice.example")]
    [InlineData(WebhookSettings.AllowedHosts, "ICE=")]
    [InlineData(WebhookSettings.AllowedHosts, "ice=hooks.ice.example")]
    [InlineData(WebhookSettings.AllowedHosts, "ICE=https://hooks.ice.example")]
    [InlineData(WebhookSettings.AllowedHosts, "ICE=hooks.ice.example:8443")]
    [InlineData(WebhookSettings.AllowedHosts, "ICE=a.example;ICE=b.example")]
    [InlineData(WebhookSettings.HttpHosts, "jms.city.example/hook")]
    [InlineData(WebhookSettings.AllowLoopback, "yes")]
    public void A_malformed_setting_is_refused_naming_it(string setting, string value)
    {
        var error = Should.Throw<FormatException>(() => Read((setting, value)));
        error.Message.ShouldContain(setting);
    }
}
