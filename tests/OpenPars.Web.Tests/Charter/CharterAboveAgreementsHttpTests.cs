using System.Net;
using System.Text.Json.Nodes;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Charter;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using static OpenPars.Web.Tests.Agreements.AgreementHttp;

namespace OpenPars.Web.Tests.Charter;

/// <summary>
/// Issue 9, defect 1, over HTTP on both databases: the agreement document set its own quorum (one consent to enter,
/// three withdrawals to end), shared a juvenile's full record, and a renewal could lower the quorum or switch off the
/// reason and case number. The stored charter refuses each at draft and renewal with the code of the charter rule it
/// breaks, and nothing changes.
/// </summary>
public sealed class CharterAboveAgreementsHttpTests(WebServerFixture fixture) : IClassFixture<WebServerFixture>
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static TheoryData<StorageProvider, string> Weakenings() => Providers.Each(["quorum", "reasonRequired", "caseNumberRequired", "adultsOnly", "ssn"]);

    [Theory, AllProviders]
    public async Task The_issues_document_with_its_own_quorum_and_a_juveniles_full_record_is_refused_at_draft(StorageProvider provider)
    {
        var server = (await fixture.ForAsync(provider)).Server;
        var now = server.Clock.GetUtcNow();
        var document = TestAgreementDocuments.Document("agr-insider", "ICE", now.AddDays(1), now.AddDays(200)).With(d =>
        {
            d["quorum"] = new JsonObject { ["consentsToEnter"] = 1, ["withdrawalsToEnd"] = 3 };
            d["fields"]!["person.ssn"] = "full";
            d["fields"]!["person.dateOfBirth"] = "full";
            d["fields"]!["person.address"] = "full";
            d["rowScope"]!["adultsOnly"] = false;
        });
        var before = await server.CountRowsAsync();
        var (status, problem) = await SendAsTokenAsync(server, server.Tokens[Roles.StakeholderRepresentative], TestAgreementDocuments.PostJson("/api/v1/agreements", document));

        Assert.Equal((HttpStatusCode.Forbidden, CharterErrorCodes.QuorumInDocument), (status, problem["code"]!.GetValue<string>()));
        var text = problem.ToJsonString();
        foreach (var rule in new[] { CharterErrorCodes.Rules.Quorum, CharterErrorCodes.Rules.MaskLimit, CharterErrorCodes.Rules.AdultsOnly, CharterErrorCodes.Rules.PartnerField })
        {
            Assert.Contains(rule, text, StringComparison.Ordinal);
        }

        Assert.Equal(before, await server.CountRowsAsync());
    }

    [Theory, MemberData(nameof(Weakenings))]
    public async Task A_renewal_cannot_weaken_what_all_three_approved(StorageProvider provider, string weakening)
    {
        var server = (await fixture.ForAsync(provider)).Server;
        var now = server.Clock.GetUtcNow();
        var id = await AgreementArrange.AgreementAsync(server, await AgreementArrange.NewPartnerAsync(server), ArrangedState.Active, now.AddDays(-1), now.AddDays(300));
        var partner = (await SendOkAsync(server, Roles.PrivacyOfficer, new HttpRequestMessage(HttpMethod.Get, $"/api/v1/agreements/{id}"), HttpStatusCode.OK))["partnerAgency"]!.GetValue<string>();
        var (change, code) = weakening switch
        {
            "quorum" => ((Action<JsonObject>)(d => d["quorum"] = new JsonObject { ["consentsToEnter"] = 3, ["withdrawalsToEnd"] = 3 }), CharterErrorCodes.QuorumInDocument),
            "reasonRequired" => (d => d["reasonRequired"] = false, CharterErrorCodes.ReasonRequired),
            "caseNumberRequired" => (d => d["caseNumberRequired"] = false, CharterErrorCodes.CaseNumberRequired),
            "adultsOnly" => (d => d["rowScope"]!["adultsOnly"] = false, CharterErrorCodes.AdultsOnly),
            _ => (d => d["fields"]!["person.ssn"] = "full", CharterErrorCodes.MaskLimit),
        };
        var renewal = TestAgreementDocuments.Document(id, partner, now.AddDays(-1), now.AddDays(320), version: 2).With(change);
        var before = await server.CountRowsAsync();

        var (status, problem) = await SendAsTokenAsync(server, server.Tokens[Roles.StakeholderRepresentative], TestAgreementDocuments.PostJson($"/api/v1/agreements/{id}/renewals", renewal));

        Assert.True(status == HttpStatusCode.Forbidden && problem["code"]!.GetValue<string>() == code, $"{weakening}: expected 403 {code}, got {(int)status}: {problem}");
        Assert.Equal(before, await server.CountRowsAsync());
        var agreement = await SendOkAsync(server, Roles.PrivacyOfficer, new HttpRequestMessage(HttpMethod.Get, $"/api/v1/agreements/{id}"), HttpStatusCode.OK);
        Assert.Equal(("active", 1), (StatusOf(agreement), agreement["status"]!["latestVersion"]!.GetValue<int>()));
    }
}
