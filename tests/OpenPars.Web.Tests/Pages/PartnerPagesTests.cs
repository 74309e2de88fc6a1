using System.Net;
using Microsoft.EntityFrameworkCore;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Testing;
using OpenPars.Testing.Web;

namespace OpenPars.Web.Tests.Pages;

/// <summary>The partner analyst's pages on each provider: the search form drawn from the agreement in force, masked
/// results with the agreement and the disclosed fields, the statement required at its fields, a prohibited criterion
/// and an ended agreement refused with code and rule, the watches (register, list, cancel; another agency's watch not
/// found), and who may open which page (the role × page matrix of these pages, every 403 audited).</summary>
public sealed class PartnerPagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>These pages and who may open them (GET): the policy of each.</summary>
    public static readonly (string Page, string[] Roles)[] Pages =
    [
        ("/agreements", [Roles.StakeholderRepresentative, Roles.PrivacyOfficer]),
        ("/agreements/{id}", [Roles.StakeholderRepresentative, Roles.PrivacyOfficer]),
        ("/agreements/new", [Roles.StakeholderRepresentative]),
        ("/partner/search", [Roles.PartnerAnalyst]),
        ("/partner/watches", [Roles.PartnerAnalyst]),
        ("/partner/agreement", [Roles.PartnerAnalyst]),
    ];

    [Theory, AllProviders]
    public async Task The_search_shows_masked_records_under_the_agreement_and_both_pages_are_audited_as_page_reads(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var id = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var number = await new WebServer(server).BookAsync();
        using var analyst = await PageSignIn.SignedInAsync(server, await PageSignIn.EnrolAsync(server, Roles.PartnerAnalyst));

        var before = await server.AuditSizeAsync();
        var (status, form, _) = await analyst.GetAsync("/partner/search");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("<option value=\"criminal-investigation\"", form, StringComparison.Ordinal);
        Assert.Contains("name=\"lastName\"", form, StringComparison.Ordinal);
        Assert.Contains("name=\"sid\"", form, StringComparison.Ordinal);
        Assert.DoesNotContain("name=\"district\"", form, StringComparison.Ordinal);
        var read = Assert.Single(await server.AuditEntriesSinceAsync(before));
        Assert.Equal((int)AuditEventType.PartnerAgreementRead, read["type"]!.GetValue<int>());
        Assert.Equal(Channels.Page, read["channel"]!.GetValue<string>());

        before = await server.AuditSizeAsync();
        using var searched = await analyst.SubmitAsync("/desk", "/partner/search", Search(new() { ["lastName"] = "Okafor", ["dateOfBirth"] = "1991-05-17" }));
        var html = await searched.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.OK, searched.StatusCode);
        Assert.Contains($"id=\"result-agreement\">{id}</strong>", html, StringComparison.Ordinal);
        Assert.Contains("person.ssn (last four digits only)", html, StringComparison.Ordinal);
        Assert.Contains($"<td>{number}</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>***-**-9999</td>", html, StringComparison.Ordinal);
        Assert.Contains("<td>1991</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("219-09-9999", html, StringComparison.Ordinal);
        Assert.DoesNotContain("1991-05-17</td>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Lagos", html, StringComparison.Ordinal);
        Assert.Contains("value=\"Okafor\"", html, StringComparison.Ordinal);
        var entry = Assert.Single(await server.AuditEntriesSinceAsync(before));
        Assert.Equal((int)AuditEventType.PartnerSearch, entry["type"]!.GetValue<int>());
        Assert.Equal(Channels.Page, entry["channel"]!.GetValue<string>());
        Assert.Equal("allowed", entry["outcome"]!.GetValue<string>());
        Assert.Contains(number, entry["records"]!.AsArray().Select(r => r!.GetValue<string>()));

        var (termsStatus, terms, _) = await analyst.GetAsync("/partner/agreement");
        Assert.Equal(HttpStatusCode.OK, termsStatus);
        Assert.Contains("<dd data-term=\"field:person.ssn\">last four digits only</dd>", terms, StringComparison.Ordinal);
        Assert.Contains("Your requests</dt><dd>1 of 1000", terms, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task The_statement_is_required_at_its_fields_and_a_prohibited_criterion_or_an_ended_agreement_is_refused_with_code_and_rule(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var id = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        using var analyst = await PageSignIn.SignedInAsync(server, await PageSignIn.EnrolAsync(server, Roles.PartnerAnalyst));

        var fields = Search(new() { ["lastName"] = "Okafor", ["dateOfBirth"] = "1991-05-17" });
        fields["reason"] = " ";
        fields.Remove("caseNumber");
        var before = await server.AuditSizeAsync();
        using (var blank = await analyst.SubmitAsync("/desk", "/partner/search", fields))
        {
            Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
            var html = await blank.Content.ReadAsStringAsync(Ct);
            Assert.Matches("id=\"f-reason\"[^>]*aria-invalid=\"true\"[^>]*aria-describedby=\"e-reason\"", html);
            Assert.Contains("id=\"e-caseNumber\">Case number is required", html, StringComparison.Ordinal);
            Assert.DoesNotContain("id=\"e-purpose\"", html, StringComparison.Ordinal);
            Assert.Contains("value=\"Okafor\"", html, StringComparison.Ordinal);
            var refused = Assert.Single(await server.AuditEntriesSinceAsync(before));
            Assert.Equal((int)AuditEventType.PartnerSearch, refused["type"]!.GetValue<int>());
            Assert.Equal("refused", refused["outcome"]!.GetValue<string>());
        }

        // A forged field naming a prohibited criterion reaches the decision, which refuses it.
        before = await server.AuditSizeAsync();
        using (var forged = await analyst.SubmitAsync("/desk", "/partner/search", Search(new() { ["lastName"] = "Okafor", ["placeOfBirth"] = "Lagos" })))
        {
            Assert.Equal(HttpStatusCode.Forbidden, forged.StatusCode);
            var html = await forged.Content.ReadAsStringAsync(Ct);
            Assert.Contains("<code>PARS-AGR-020</code>", html, StringComparison.Ordinal);
            Assert.Contains("Prohibited criterion. The rule:", html, StringComparison.Ordinal);
            Assert.Equal("PARS-AGR-020", Assert.Single(await server.AuditEntriesSinceAsync(before))["code"]!.GetValue<string>());
        }

        // The quorum withdraws: the next search is refused, the termination said.
        foreach (var actor in new[] { AgreementArrange.Police, AgreementArrange.Courts })
        {
            await AgreementArrange.Store(server).VoteAsync(id, VoteKind.Withdraw, "Withdrawn.", null, null, actor);
        }

        using var ended = await analyst.SubmitAsync("/desk", "/partner/search", Search(new() { ["lastName"] = "Okafor", ["dateOfBirth"] = "1991-05-17" }));
        Assert.Equal(HttpStatusCode.Forbidden, ended.StatusCode);
        var endedHtml = await ended.Content.ReadAsStringAsync(Ct);
        Assert.Contains("<code>PARS-AGR-004</code>", endedHtml, StringComparison.Ordinal);
        Assert.Contains("terminated by the quorum", endedHtml, StringComparison.Ordinal);
        var (formStatus, _, _) = await analyst.GetAsync("/partner/search");
        Assert.Equal(HttpStatusCode.Forbidden, formStatus);
    }

    [Theory, AllProviders]
    public async Task A_watch_is_registered_listed_and_cancelled_and_another_agencys_watch_is_not_found(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        using var analyst = await PageSignIn.SignedInAsync(server, await PageSignIn.EnrolAsync(server, Roles.PartnerAnalyst));

        var watch = Statement();
        watch["criteria.sid"] = "28519463";
        watch["expiresAt"] = "";
        using (var registered = await analyst.SubmitAsync("/desk", "/partner/watches", watch))
        {
            Assert.Equal(HttpStatusCode.Found, registered.StatusCode);
            Assert.StartsWith("/partner/watches?registered=", registered.Headers.Location!.OriginalString, StringComparison.Ordinal);
        }

        var before = await server.AuditSizeAsync();
        var (status, list, _) = await analyst.GetAsync("/partner/watches");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal((int)AuditEventType.WatchesListed, Assert.Single(await server.AuditEntriesSinceAsync(before))["type"]!.GetValue<int>());
        var watchId = System.Text.RegularExpressions.Regex.Match(list, "data-watch=\"([^\"]+)\"").Groups[1].Value;
        Assert.Contains("SID 28519463", list, StringComparison.Ordinal);
        Assert.Contains("<td>active</td>", list, StringComparison.Ordinal);

        // No criteria: refused by the use case, the statement kept.
        var none = Statement();
        using (var refused = await analyst.SubmitAsync("/desk", "/partner/watches", none))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var html = await refused.Content.ReadAsStringAsync(Ct);
            Assert.Contains("PARS-WCH-", html, StringComparison.Ordinal);
            Assert.Contains($"value=\"{TestAgreementDocuments.CaseNumber}\"", html, StringComparison.Ordinal);
        }

        // Another partner's analyst cannot cancel it: not found, nothing changed.
        var other = await AgreementArrange.NewPartnerAsync(server);
        await AgreementArrange.AgreementAsync(server, other, ArrangedState.Active);
        using var stranger = await PageSignIn.SignedInAsync(server, await PageSignIn.NewUserAsync(server, other, Roles.PartnerAnalyst));
        using (var foreign = await stranger.SubmitAsync("/desk", $"/partner/watches/{watchId}/cancel", []))
        {
            Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        }

        using (var cancelled = await analyst.SubmitAsync("/desk", $"/partner/watches/{watchId}/cancel", []))
        {
            Assert.Equal(HttpStatusCode.Found, cancelled.StatusCode);
        }

        var (_, after, _) = await analyst.GetAsync("/partner/watches");
        Assert.Contains("<td>cancelled</td>", after, StringComparison.Ordinal);

        // Without the antiforgery token: nothing registered, nothing searched.
        var rows = await server.CountRowsAsync();
        foreach (var action in new[] { "/partner/watches", "/partner/search", $"/partner/watches/{watchId}/cancel" })
        {
            var fields = Statement();
            fields["criteria.sid"] = "11111111";
            using var response = await analyst.SubmitAsync("/desk", action, fields, withToken: false);
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("PARS-PAGE-001", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        Assert.Equal(rows, await server.CountRowsAsync());
        await using var db = server.NewContext();
        Assert.Equal(1, await db.PartnerWatches.CountAsync(Ct));
    }

    [Theory, AllProviders]
    public async Task Each_role_opens_only_its_own_agreement_and_partner_pages_and_sees_only_their_links_every_403_audited(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var id = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        foreach (var role in Roles.All)
        {
            using var client = await PageSignIn.SignedInAsync(server, await PageSignIn.EnrolAsync(server, role));
            var (_, desk, _) = await client.GetAsync("/desk");
            foreach (var (page, roles) in Pages)
            {
                var allowed = roles.Contains(role);
                var path = page.Replace("{id}", id, StringComparison.Ordinal);
                Assert.Equal(allowed && page != "/agreements/{id}" && page != "/agreements/new", desk.Contains($"href=\"{page}\"", StringComparison.Ordinal));
                var before = await server.AuditSizeAsync();
                var (status, html, _) = await client.GetAsync(path);
                Assert.True((allowed ? HttpStatusCode.OK : HttpStatusCode.Forbidden) == status, $"{role} at {path}: {(int)status}");
                if (!allowed)
                {
                    Assert.Contains("PARS-AUTH-002", html, StringComparison.Ordinal);
                    var entry = Assert.Single(await server.AuditEntriesSinceAsync(before));
                    Assert.Equal("refused", entry["outcome"]!.GetValue<string>());
                    Assert.Equal(Channels.Page, entry["channel"]!.GetValue<string>());
                }
            }
        }
    }

    private static Dictionary<string, string> Statement() => new()
    {
        ["purpose"] = TestAgreementDocuments.Purpose,
        ["reason"] = TestAgreementDocuments.Reason,
        ["caseNumber"] = TestAgreementDocuments.CaseNumber,
    };

    private static Dictionary<string, string> Search(Dictionary<string, string> criteria)
    {
        var fields = Statement();
        fields["shown.purposes"] = "criminal-investigation,warrant-service";
        fields["shown.criteria"] = "arrestNumber,lastName,firstName,dateOfBirth,sid,fbiNumber";
        foreach (var (name, value) in criteria)
        {
            fields[name] = value;
        }

        return fields;
    }
}
