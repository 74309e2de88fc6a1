using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agreements;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Agreements;
using OpenPars.Testing;
using OpenPars.Core.Agencies;
using OpenPars.App.Hosting;

namespace OpenPars.Cli.Tests.Oversight;

/// <summary>`openpars oversight report`: the same use case as the HTTP views, for a privacy officer's token only, in
/// Markdown, HTML (with its SVG chart) or JSON, each run one audit entry (12006).</summary>
public sealed class OversightReportCommandTests
{
    [Theory, AllProviders]
    public async Task Prints_the_partners_report_in_each_format_for_an_overseer_and_refuses_anyone_else(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = CliRunner.StorageArgs(db.Settings);
        foreach (var (code, kind) in new[] { ("PPD", "police"), ("DAO", "district-attorney"), ("FJD", "courts"), ("ICE", "partner") })
        {
            await db.Identity().AddAgencyAsync(code, $"Agency {code}", kind);
        }

        var identity = new IdentityStore(db.NewContext(), TimeProvider.System, TestAudit.Trail(db.Settings, TimeProvider.System));
        var privacy = await identity.AddUserAsync("FJD", "fjd.privacy", ["privacy-officer"]);
        var (_, privacyToken) = await identity.CreateTokenAsync(privacy.Id, null, "cli");
        var officer = await identity.AddUserAsync("PPD", "ppd.booking", ["booking-officer"]);
        var (_, officerToken) = await identity.CreateTokenAsync(officer.Id, null, "cli");
        var agreements = new AgreementStore(db.NewContext(), TimeProvider.System, TestAudit.Trail(db.Settings, TimeProvider.System));
        var now = DateTimeOffset.UtcNow;
        var document = JsonNode.Parse(File.ReadAllText(TestRepository.PathOf("docs", "agreements", "examples", "ice-2026.json")))!.AsObject();
        document["agreementId"] = "ice-cli";
        document["partnerAgency"] = "ICE";
        document["effectiveAt"] = now.AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture);
        document["expiresAt"] = now.AddDays(30).ToString("yyyy-MM-dd'T'HH:mm:ssK", System.Globalization.CultureInfo.InvariantCulture);
        AgreementActor police = new(0, "arrange.ppd", "PPD", AgencyKind.Police), da = new(0, "arrange.dao", "DAO", AgencyKind.DistrictAttorney), courts = new(0, "arrange.fjd", "FJD", AgencyKind.Courts);
        await agreements.DraftAsync(AgreementJson.Parse(document.ToJsonString()), da);
        await agreements.ProposeAsync("ice-cli", null, da);
        foreach (var actor in new[] { police, da, courts })
        {
            await agreements.VoteAsync("ice-cli", VoteKind.Consent, "We consent.", null, null, actor);
        }

        var json = await CliRunner.RunAsync(["oversight", "report", "--agency", "ICE", "--format", "json", "--token", privacyToken, .. store]);
        Assert.True(json.ExitCode == 0, json.Output);
        var report = JsonNode.Parse(json.Output)!;
        Assert.Equal("ICE", report["usage"]!["agency"]!.GetValue<string>());
        Assert.Equal("ice-cli", report["disparity"]!["agreementId"]!.GetValue<string>());
        Assert.Equal([7, 30], report["disparity"]!["windows"]!.AsArray().Select(w => w!["days"]!.GetValue<int>()));
        Assert.Empty(report["alerts"]!["items"]!.AsArray());

        var md = await CliRunner.RunAsync(["oversight", "report", "--agency", "ICE", "--token", privacyToken, .. store]);
        Assert.Equal(0, md.ExitCode);
        Assert.Contains("# Oversight report: ICE", md.Output, StringComparison.Ordinal);
        Assert.Contains("| birthplace:outside-united-states |", md.Output, StringComparison.Ordinal);
        var html = await CliRunner.RunAsync(["oversight", "report", "--agency", "ICE", "--format", "html", "--token", privacyToken, .. store]);
        Assert.Equal(0, html.ExitCode);
        Assert.Contains("<svg", html.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html.Output, StringComparison.OrdinalIgnoreCase);

        var refused = await CliRunner.RunAsync(["oversight", "report", "--agency", "ICE", "--token", officerToken, .. store]);
        Assert.NotEqual(0, refused.ExitCode);
        Assert.Contains("PARS-AUTH-002", refused.Output, StringComparison.Ordinal);

        await using var ctx = db.NewContext();
        Assert.Equal(3, await ctx.AuditEntries.CountAsync(e => e.EventType == 12006 && e.Outcome == "allowed"));
        Assert.Equal(1, await ctx.AuditEntries.CountAsync(e => e.EventType == 12006 && e.Outcome == "refused"));
    }
}
