using System.Net;
using Microsoft.EntityFrameworkCore;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Testing;
using OpenPars.Testing.Web;

namespace OpenPars.Web.Tests.Pages;

/// <summary>The agreements desk on each provider, as a browser without script uses it: the list and the detail (terms
/// in words, the difference between versions, votes with statements) audited as the API's reads with channel page;
/// two representatives' withdrawals with the form end the agreement and the page shows the termination and its notice;
/// a refused vote keeps what was typed, shows its code and rule and changes nothing; the privacy officer suspends;
/// a representative drafts from the document form; forms without their antiforgery token change nothing.</summary>
public sealed class AgreementPagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task The_list_and_the_detail_show_status_terms_differences_and_votes_audited_as_page_reads(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var id = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        await RenewAsync(server, id);
        var representative = await PageSignIn.EnrolAsync(server, Roles.StakeholderRepresentative);
        using var client = await PageSignIn.SignedInAsync(server, representative);

        var before = await server.AuditSizeAsync();
        var (status, list, _) = await client.GetAsync("/agreements");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains($"href=\"/agreements/{id}\"", list, StringComparison.Ordinal);
        Assert.Contains("data-status=\"active\"", list, StringComparison.Ordinal);
        Assert.Contains("expired at 2027-09-19", list, StringComparison.Ordinal);
        PageAudit.AssertEntry(Assert.Single(await server.AuditEntriesSinceAsync(before)), AuditEventType.AgreementsListed);

        before = await server.AuditSizeAsync();
        (status, var detail, _) = await client.GetAsync($"/agreements/{id}");
        Assert.Equal(HttpStatusCode.OK, status);
        PageAudit.AssertEntry(Assert.Single(await server.AuditEntriesSinceAsync(before)), AuditEventType.AgreementRead);
        Assert.Contains("id=\"status\" data-status=\"active\"", detail, StringComparison.Ordinal);
        Assert.Contains("<dd data-term=\"field:person.ssn\">last four digits only</dd>", detail, StringComparison.Ordinal);
        Assert.Contains("<dd data-term=\"field:person.dateOfBirth\">year only</dd>", detail, StringComparison.Ordinal);
        Assert.Contains("Version 2 against version 1", detail, StringComparison.Ordinal);
        Assert.Contains("data-change=\"changed\" data-term=\"quota:records\"", detail, StringComparison.Ordinal);
        Assert.Contains("Records to the agency per day", detail, StringComparison.Ordinal);
        Assert.Contains("10,000 → 5,000", WebUtility.HtmlDecode(detail), StringComparison.Ordinal);
        Assert.Contains("data-change=\"removed\" data-term=\"field:person.ssn\"", detail, StringComparison.Ordinal);
        Assert.Contains("We consent to these terms.", detail, StringComparison.Ordinal);
        Assert.Equal(3, CountOf(detail, "data-vote=\"consent\""));

        // A representative's forms; no suspension (the privacy officer's).
        Assert.Contains($"action=\"/agreements/{id}/votes\"", detail, StringComparison.Ordinal);
        Assert.Contains($"action=\"/agreements/{id}/propose\"", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("/suspension\"", detail, StringComparison.Ordinal);
        Assert.DoesNotContain("style=", detail, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task Two_representatives_withdraw_with_the_form_and_the_agreement_shows_its_termination_and_notice(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var id = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        using var police = await PageSignIn.SignedInAsync(server, await PageSignIn.NewUserAsync(server, "PPD", Roles.StakeholderRepresentative));
        using var courts = await PageSignIn.SignedInAsync(server, await PageSignIn.NewUserAsync(server, "FJD", Roles.StakeholderRepresentative));

        var before = await server.AuditSizeAsync();
        using (var first = await police.SubmitAsync("/desk", $"/agreements/{id}/votes", Withdrawal("The police withdraw: the review found misuse.")))
        {
            Assert.Equal(HttpStatusCode.Found, first.StatusCode);
            Assert.Equal($"/agreements/{id}?done=vote", first.Headers.Location!.OriginalString);
        }

        var entry = (await server.AuditEntriesSinceAsync(before)).Single(e => e["type"]!.GetValue<int>() == (int)AuditEventType.AgreementVoteCast);
        Assert.Equal(Channels.Page, entry["channel"]!.GetValue<string>());
        Assert.Equal("allowed", entry["outcome"]!.GetValue<string>());
        var (_, stillActive, _) = await police.GetAsync($"/agreements/{id}?done=vote");
        Assert.Contains("data-status=\"active\"", stillActive, StringComparison.Ordinal);
        Assert.Contains("Your vote is recorded.", stillActive, StringComparison.Ordinal);

        using (var second = await courts.SubmitAsync("/desk", $"/agreements/{id}/votes", Withdrawal("The courts withdraw as well.")))
        {
            Assert.Equal(HttpStatusCode.Found, second.StatusCode);
        }

        var (_, ended, _) = await courts.GetAsync($"/agreements/{id}");
        Assert.Contains("id=\"status\" data-status=\"terminated\"", ended, StringComparison.Ordinal);
        Assert.Contains("id=\"termination\"", ended, StringComparison.Ordinal);
        Assert.Contains("The police withdraw: the review found misuse.", ended, StringComparison.Ordinal);
        Assert.Contains("The courts withdraw as well.", ended, StringComparison.Ordinal);
        Assert.DoesNotContain($"action=\"/agreements/{id}/votes\"", ended, StringComparison.Ordinal);

        before = await server.AuditSizeAsync();
        var (status, notice, _) = await courts.GetAsync($"/agreements/{id}/notice");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<article class=\"agreement-notice\">", notice, StringComparison.Ordinal);
        Assert.Contains("The courts withdraw as well.", notice, StringComparison.Ordinal);
        PageAudit.AssertEntry(Assert.Single(await server.AuditEntriesSinceAsync(before)), AuditEventType.AgreementNoticeRead);
    }

    [Theory, AllProviders]
    public async Task A_refused_vote_keeps_what_was_typed_shows_its_code_and_rule_and_changes_nothing(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var id = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var representative = await PageSignIn.EnrolAsync(server, Roles.StakeholderRepresentative);
        using var client = await PageSignIn.SignedInAsync(server, representative);

        // DAO consented already (the arrangement): another consent on the version in force is refused by the rules.
        var rows = await server.CountRowsAsync();
        var before = await server.AuditSizeAsync();
        var fields = new Dictionary<string, string> { ["vote"] = "consent", ["statement"] = "Consent again,\nsecond line.", ["noticeEffectiveAt"] = "", ["version"] = "1" };
        using var refused = await client.SubmitAsync("/desk", $"/agreements/{id}/votes", fields);
        var html = await refused.Content.ReadAsStringAsync(Ct);
        var entry = Assert.Single(await server.AuditEntriesSinceAsync(before));
        var code = entry["code"]!.GetValue<string>();
        Assert.StartsWith("PARS-AGR-06", code, StringComparison.Ordinal);
        Assert.Equal(Core.Common.ErrorCatalogue.StatusFor(code), (int)refused.StatusCode);
        Assert.Contains($"<code>{code}</code>", html, StringComparison.Ordinal);
        Assert.Contains("The rule:", html, StringComparison.Ordinal);
        Assert.Matches("<textarea id=\"f-statement\"[^>]*>\\s*Consent again,\r?\nsecond line.</textarea>", WebUtility.HtmlDecode(html));
        Assert.Contains("<option value=\"consent\" selected", html, StringComparison.Ordinal);
        Assert.Equal("refused", entry["outcome"]!.GetValue<string>());
        Assert.Equal(Channels.Page, entry["channel"]!.GetValue<string>());

        // A vote kind the use case does not know: at its field. A notice the form cannot read: at its field, before it.
        fields = new() { ["vote"] = "maybe", ["statement"] = "Perhaps." };
        using (var unknown = await client.SubmitAsync("/desk", $"/agreements/{id}/votes", fields))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
            Assert.Contains("id=\"e-vote\"", await unknown.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        fields = new() { ["vote"] = "withdraw", ["statement"] = "Later.", ["noticeEffectiveAt"] = "next Tuesday" };
        before = await server.AuditSizeAsync();
        using (var unreadable = await client.SubmitAsync("/desk", $"/agreements/{id}/votes", fields))
        {
            Assert.Equal(HttpStatusCode.BadRequest, unreadable.StatusCode);
            var page = await unreadable.Content.ReadAsStringAsync(Ct);
            Assert.Contains("id=\"e-noticeEffectiveAt\"", page, StringComparison.Ordinal);
            Assert.Contains("value=\"next Tuesday\"", page, StringComparison.Ordinal);
            Assert.Equal("PARS-REQ-006", Assert.Single(await server.AuditEntriesSinceAsync(before))["code"]!.GetValue<string>());
        }

        Assert.Equal(rows, await server.CountRowsAsync());
    }

    [Theory, AllProviders]
    public async Task The_privacy_officer_suspends_with_the_form_and_a_representative_drafts_from_the_document_form(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var id = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        using var officer = await PageSignIn.SignedInAsync(server, await PageSignIn.EnrolAsync(server, Roles.PrivacyOfficer));
        using var representative = await PageSignIn.SignedInAsync(server, await PageSignIn.EnrolAsync(server, Roles.StakeholderRepresentative));

        var (_, detail, _) = await officer.GetAsync($"/agreements/{id}");
        Assert.Contains($"action=\"/agreements/{id}/suspension\"", detail, StringComparison.Ordinal);
        Assert.DoesNotContain($"action=\"/agreements/{id}/votes\"", detail, StringComparison.Ordinal);
        using (var suspended = await officer.SubmitAsync("/desk", $"/agreements/{id}/suspension", new() { ["statement"] = "Pending the disparity review." }))
        {
            Assert.Equal(HttpStatusCode.Found, suspended.StatusCode);
        }

        var (_, after, _) = await officer.GetAsync($"/agreements/{id}");
        Assert.Contains("id=\"status\" data-status=\"suspended\"", after, StringComparison.Ordinal);
        Assert.Contains("Pending the disparity review.", after, StringComparison.Ordinal);

        var partner = await AgreementArrange.NewPartnerAsync(server);
        var newId = "agr-page-" + Guid.NewGuid().ToString("N")[..6];
        var now = server.Clock.GetUtcNow();
        var document = TestAgreementDocuments.Document(newId, partner, now.AddDays(1), now.AddDays(200)).ToJsonString();
        using (var drafted = await representative.SubmitAsync("/desk", "/agreements/new", new() { ["document"] = document }))
        {
            Assert.Equal(HttpStatusCode.Found, drafted.StatusCode);
            Assert.Equal($"/agreements/{newId}?done=draft", drafted.Headers.Location!.OriginalString);
        }

        // A document that is not JSON: refused before the use case, the text kept, on the record, nothing drafted.
        var rows = await server.CountRowsAsync();
        var before = await server.AuditSizeAsync();
        using var broken = await representative.SubmitAsync("/desk", "/agreements/new", new() { ["document"] = "{\"agreementId\": " });
        var html = await broken.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.BadRequest, broken.StatusCode);
        Assert.Contains("{&quot;agreementId&quot;: </textarea>", html, StringComparison.Ordinal);
        Assert.Contains("PARS-REQ-001", html, StringComparison.Ordinal);
        var entry = Assert.Single(await server.AuditEntriesSinceAsync(before));
        Assert.Equal((int)AuditEventType.AgreementDrafted, entry["type"]!.GetValue<int>());
        Assert.Equal("refused", entry["outcome"]!.GetValue<string>());
        Assert.Equal(rows, await server.CountRowsAsync());
    }

    [Theory, AllProviders]
    public async Task The_agreement_forms_without_their_antiforgery_token_are_refused_and_change_nothing(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var id = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        using var representative = await PageSignIn.SignedInAsync(server, await PageSignIn.EnrolAsync(server, Roles.StakeholderRepresentative));
        using var officer = await PageSignIn.SignedInAsync(server, await PageSignIn.EnrolAsync(server, Roles.PrivacyOfficer));

        var rows = await server.CountRowsAsync();
        foreach (var (client, action, fields) in new[]
        {
            (representative, $"/agreements/{id}/votes", Withdrawal("No token.")),
            (representative, $"/agreements/{id}/propose", new Dictionary<string, string>()),
            (representative, $"/agreements/{id}/renewals", new Dictionary<string, string> { ["document"] = "{}" }),
            (representative, "/agreements/new", new Dictionary<string, string> { ["document"] = "{}" }),
            (officer, $"/agreements/{id}/suspension", new Dictionary<string, string> { ["statement"] = "No token." }),
        })
        {
            var before = await server.AuditSizeAsync();
            using var response = await client.SubmitAsync("/desk", action, fields, withToken: false);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("PARS-PAGE-001", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
            Assert.Equal("PARS-PAGE-001", Assert.Single(await server.AuditEntriesSinceAsync(before))["code"]!.GetValue<string>());
        }

        Assert.Equal(rows, await server.CountRowsAsync());
    }

    private static Dictionary<string, string> Withdrawal(string statement) => new() { ["vote"] = "withdraw", ["statement"] = statement, ["noticeEffectiveAt"] = "", ["version"] = "" };

    /// <summary>A renewal draft of <paramref name="id"/>: no SSN any more, half the records, a year longer.</summary>
    private static async Task RenewAsync(OpenParsTestServer server, string id)
    {
        var now = server.Clock.GetUtcNow();
        var json = TestAgreementDocuments.Document(id, "ICE", now.AddDays(-1), now.AddDays(320), version: 2).With(d =>
        {
            d["fields"]!.AsObject().Remove("person.ssn");
            d.Remove("quorum");
            d["quotas"]!["recordsPerAgencyPerDay"] = 5000;
        });
        await AgreementArrange.Store(server).RenewAsync(id, AgreementJson.Parse(json.ToJsonString()), AgreementArrange.DistrictAttorney);
    }

    private static int CountOf(string html, string text)
    {
        var count = 0;
        for (var at = html.IndexOf(text, StringComparison.Ordinal); at >= 0; at = html.IndexOf(text, at + 1, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
