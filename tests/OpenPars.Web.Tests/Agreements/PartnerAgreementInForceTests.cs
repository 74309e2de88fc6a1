using System.Net;
using System.Text.Json.Nodes;
using OpenPars.Core.Agencies;
using OpenPars.App.Hosting;
using OpenPars.Core.Agreements;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using static OpenPars.Web.Tests.Agreements.AgreementHttp;

namespace OpenPars.Web.Tests.Agreements;

/// <summary>
/// Issue 9, defect 3: a representative's new draft or proposal for a partner used to become "the partner's
/// agreement" (the newest naming it) and cut off the active one without the quorum. The agreement a partner
/// request is decided under is the one in force; a proposal overlapping it is refused unless it is its renewal.
/// </summary>
public sealed class PartnerAgreementInForceTests
{
    private const string Search = "/api/v1/partner/arrests?lastName=Okafor&dateOfBirth=1991-05-17";

    [Theory, AllProviders]
    public async Task A_new_draft_or_proposal_for_the_partner_never_cuts_off_the_agreement_in_force(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        await BookAsync(server);
        var now = server.Clock.GetUtcNow();
        var inForce = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active, now.AddDays(-1), now.AddDays(300));
        await ExpectAllowedUnderAsync(server, inForce);

        // The attack: one representative drafts a rival agreement for ICE (a newer row naming it) ...
        var rival = TestAgreementDocuments.Document("ice-rival", "ICE", now.AddDays(-1), now.AddDays(200));
        await SendOkAsync(server, Roles.StakeholderRepresentative, TestAgreementDocuments.PostJson("/api/v1/agreements", rival), HttpStatusCode.Created);
        await ExpectAllowedUnderAsync(server, inForce);

        // ... and proposes it: refused, its term overlaps the agreement in force; nothing changes.
        var (status, refusal) = await SendAsTokenAsync(server, server.Tokens[Roles.StakeholderRepresentative], new HttpRequestMessage(HttpMethod.Post, "/api/v1/agreements/ice-rival/propose"));
        Assert.Equal(HttpStatusCode.Conflict, status);
        Assert.Equal(AgreementErrorCodes.OverlapsAgreementInForce, refusal["code"]!.GetValue<string>());
        var stillDraft = await SendOkAsync(server, Roles.PrivacyOfficer, new HttpRequestMessage(HttpMethod.Get, "/api/v1/agreements/ice-rival"), HttpStatusCode.OK);
        Assert.Equal("draft", StatusOf(stillDraft));
        await ExpectAllowedUnderAsync(server, inForce);

        // A proposal for the term after it is no overlap, and while only proposed it affects nothing.
        var next = TestAgreementDocuments.Document("ice-next", "ICE", now.AddDays(300), now.AddDays(600));
        await SendOkAsync(server, Roles.StakeholderRepresentative, TestAgreementDocuments.PostJson("/api/v1/agreements", next), HttpStatusCode.Created);
        var proposed = await SendOkAsync(server, Roles.StakeholderRepresentative, new HttpRequestMessage(HttpMethod.Post, "/api/v1/agreements/ice-next/propose"), HttpStatusCode.OK);
        Assert.Equal("proposed", StatusOf(proposed));
        await ExpectAllowedUnderAsync(server, inForce);

        // The agreement's own renewal may overlap it: it continues the same agreement.
        var renewal = TestAgreementDocuments.Document(inForce, "ICE", now.AddDays(-1), now.AddDays(320), version: 2);
        await SendOkAsync(server, Roles.StakeholderRepresentative, TestAgreementDocuments.PostJson($"/api/v1/agreements/{inForce}/renewals", renewal), HttpStatusCode.Created);
        await SendOkAsync(server, Roles.StakeholderRepresentative, new HttpRequestMessage(HttpMethod.Post, $"/api/v1/agreements/{inForce}/propose"), HttpStatusCode.OK);
        await ExpectAllowedUnderAsync(server, inForce);
    }

    [Theory, AllProviders]
    public async Task A_consent_that_would_put_a_second_agreement_in_force_is_refused(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        var reps = await AgreementArrange.RepresentativesAsync(server);
        await BookAsync(server);
        var now = server.Clock.GetUtcNow();

        // Two overlapping proposals put to the vote while nothing was in force: the first to reach its quorum is
        // in force, and the last consent of the other is refused.
        var first = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Proposed, now.AddDays(-1), now.AddDays(100));
        var second = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Proposed, now.AddDays(-1), now.AddDays(200));
        foreach (var agency in new[] { "PPD", "DAO", "FJD" })
        {
            await VoteAsync(server, reps[agency], first, "consent");
        }

        await VoteAsync(server, reps["PPD"], second, "consent", HttpStatusCode.Conflict, AgreementErrorCodes.OverlapsAgreementInForce);
        await ExpectAllowedUnderAsync(server, first);
    }

    private static async Task ExpectAllowedUnderAsync(OpenParsTestServer server, string agreementId)
    {
        var (status, body) = await PartnerAsync(server, TestAgreementDocuments.PartnerGet(Search));
        Assert.True(status == HttpStatusCode.OK, $"expected 200 under {agreementId}, got {(int)status}: {body}");
        Assert.Equal(agreementId, body["agreement"]!["id"]!.GetValue<string>());
    }
}
