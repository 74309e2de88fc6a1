using System.Net;
using CsCheck;
using OpenPars.Core.Webhooks;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Webhooks;

/// <summary>Where webhooks may go: https (http only for listed hosts), the agency's allow list compared in punycode,
/// and no private, loopback, link-local or metadata address unless configured.</summary>
public sealed class WebhookAddressesTests
{
    private static readonly WebhookAddressPolicy Policy = new()
    {
        AllowedHosts = new Dictionary<string, IReadOnlyList<string>>
        {
            ["ICE"] = ["hooks.ice.example", "*.partner.example", "bücher.example"],
            ["PPD"] = ["jms.city.example", "127.0.0.1", "10.1.2.3"],
        },
        HttpHosts = ["jms.city.example"],
    };

    [Theory]
    [InlineData("https://hooks.ice.example/notify", "ICE")]
    [InlineData("https://a.b.partner.example/x?y=1", "ICE")]
    [InlineData("https://HOOKS.ICE.EXAMPLE./notify", "ICE")]
    [InlineData("https://xn--bcher-kva.example/", "ICE")]
    [InlineData("https://bücher.example/", "ICE")]
    [InlineData("http://jms.city.example/hook", "PPD")]
    public void Allowed_urls(string url, string agency)
    {
        var (checkedUrl, refusal) = WebhookAddresses.CheckUrl(url, agency, Policy);
        refusal.ShouldBeNull();
        checkedUrl.ShouldNotBeNull();
    }

    [Theory]
    [InlineData("http://hooks.ice.example/notify", "ICE", WebhookErrorCodes.UrlRefused)]
    [InlineData("ftp://hooks.ice.example/", "ICE", WebhookErrorCodes.UrlRefused)]
    [InlineData("/relative", "ICE", WebhookErrorCodes.UrlRefused)]
    [InlineData("https://user:pw@hooks.ice.example/", "ICE", WebhookErrorCodes.UrlRefused)]
    [InlineData("https://hooks.ice.example/#frag", "ICE", WebhookErrorCodes.UrlRefused)]
    [InlineData("https://partner.example/", "ICE", WebhookErrorCodes.HostNotAllowed)]
    [InlineData("https://evilpartner.example/", "ICE", WebhookErrorCodes.HostNotAllowed)]
    [InlineData("https://hooks.ice.example.evil.example/", "ICE", WebhookErrorCodes.HostNotAllowed)]
    [InlineData("https://bucher.example/", "ICE", WebhookErrorCodes.HostNotAllowed)]
    [InlineData("https://hooks.ice.example/", "PPD", WebhookErrorCodes.HostNotAllowed)]
    [InlineData("https://hooks.ice.example/", "FJD", WebhookErrorCodes.HostNotAllowed)]
    [InlineData("https://127.0.0.1/", "PPD", WebhookErrorCodes.AddressRefused)]
    [InlineData("https://10.1.2.3/", "PPD", WebhookErrorCodes.AddressRefused)]
    [InlineData("https://169.254.169.254/latest/meta-data", "PPD", WebhookErrorCodes.AddressRefused)]
    [InlineData("https://[::1]/", "PPD", WebhookErrorCodes.AddressRefused)]
    public void Refused_urls(string url, string agency, string code)
    {
        var (checkedUrl, refusal) = WebhookAddresses.CheckUrl(url, agency, Policy);
        checkedUrl.ShouldBeNull();
        refusal!.Value.Code.ShouldBe(code);
    }

    [Theory]
    [InlineData("127.0.0.1", "loopback")]
    [InlineData("127.255.1.2", "loopback")]
    [InlineData("::1", "loopback")]
    [InlineData("::ffff:127.0.0.1", "loopback")]
    [InlineData("10.0.0.1", "private")]
    [InlineData("172.16.0.1", "private")]
    [InlineData("172.31.255.255", "private")]
    [InlineData("192.168.1.1", "private")]
    [InlineData("100.64.0.1", "private")]
    [InlineData("fd12::1", "private")]
    [InlineData("169.254.1.1", "link-local")]
    [InlineData("fe80::1", "link-local")]
    [InlineData("169.254.169.254", "metadata")]
    [InlineData("fd00:ec2::254", "metadata")]
    [InlineData("0.0.0.0", "unspecified")]
    [InlineData("::", "unspecified")]
    [InlineData("224.0.0.1", "multicast")]
    [InlineData("2002:7f00:0001::", "loopback")]
    [InlineData("64:ff9b::a00:1", "private")]
    public void Refused_ranges(string address, string range) =>
        WebhookAddresses.Refusal(IPAddress.Parse(address), new WebhookAddressPolicy()).ShouldBe(range);

    [Theory]
    [InlineData("93.184.216.34")]
    [InlineData("172.32.0.1")]
    [InlineData("2606:2800:220:1::1")]
    [InlineData("8.8.8.8")]
    public void Public_addresses_are_allowed(string address) =>
        WebhookAddresses.Refusal(IPAddress.Parse(address), new WebhookAddressPolicy()).ShouldBeNull();

    [Fact]
    public void Configuration_opens_loopback_and_private_and_nothing_else()
    {
        var loopback = new WebhookAddressPolicy { AllowLoopback = true };
        WebhookAddresses.Refusal(IPAddress.Loopback, loopback).ShouldBeNull();
        WebhookAddresses.Refusal(IPAddress.Parse("10.0.0.1"), loopback).ShouldBe("private");
        WebhookAddresses.Refusal(IPAddress.Parse("169.254.169.254"), loopback with { AllowPrivate = true }).ShouldBe("metadata");
        WebhookAddresses.Refusal(IPAddress.Parse("10.0.0.1"), new WebhookAddressPolicy { AllowPrivate = true }).ShouldBeNull();
    }

    [Fact]
    public void Every_ipv4_address_in_a_refused_block_is_refused_and_its_ipv6_mapping_too()
    {
        var blocks = new (byte A, int BFrom, int BTo)[] { (127, 0, 255), (10, 0, 255), (172, 16, 31), (192, 168, 168), (169, 254, 254), (0, 0, 255), (100, 64, 127) };
        Gen.Select(Gen.Int[0, blocks.Length - 1], Gen.Int[0, 255], Gen.Int[0, 255], Gen.Int[0, 255]).Sample((i, b, c, d) =>
        {
            var (a, from, to) = blocks[i];
            var address = new IPAddress([a, (byte)(from + (b % (to - from + 1))), (byte)c, (byte)d]);
            WebhookAddresses.Refusal(address, new WebhookAddressPolicy()).ShouldNotBeNull();
            WebhookAddresses.Refusal(address.MapToIPv6(), new WebhookAddressPolicy()).ShouldNotBeNull();
        });
    }

    [Fact]
    public void A_host_matches_only_itself_or_names_under_a_wildcard()
    {
        Gen.String[Gen.Char['a', 'z'], 1, 12].Select(Gen.String[Gen.Char['a', 'z'], 1, 12]).Sample((label, other) =>
        {
            WebhookAddresses.HostMatches($"{label}.partner.example", "*.partner.example").ShouldBeTrue();
            WebhookAddresses.HostMatches($"{label}partner.example", "*.partner.example").ShouldBeFalse();
            WebhookAddresses.HostMatches($"{label}.example", $"{label}.example").ShouldBeTrue();
            WebhookAddresses.HostMatches($"{label}.{other}.example", $"{label}.example").ShouldBeFalse();
        });
    }
}
