using System.Text.Json.Nodes;
using Microsoft.Kiota.Abstractions.Authentication;
using Microsoft.Kiota.Abstractions.Serialization;
using Microsoft.Kiota.Http.HttpClientLibrary;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using OpenPars.Web.Tests.Agreements;
using OpenPars.Web.Tests.Contract.Client;
using OpenPars.Web.Tests.Contract.Client.Models;

namespace OpenPars.Web.Tests.Contract;

/// <summary>The API description is a contract: the client partners would generate from it (Kiota, checked in under
/// Client/, made by tools/generate-client) talks to the real server, and the server still serves the document it
/// was generated from.</summary>
public sealed class GeneratedClientTests
{
    private static OpenParsClient ClientFor(OpenParsTestServer server, HttpClient http) =>
        new(new HttpClientRequestAdapter(new AnonymousAuthenticationProvider(), httpClient: http) { BaseUrl = server.BaseAddress.ToString().TrimEnd('/') });

    [Theory, AllProviders]
    public async Task The_served_document_is_the_one_the_client_was_generated_from(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        using var http = web.Server.Client();
        var served = JsonNode.Parse(await http.GetStringAsync("/openapi/v1.json", TestContext.Current.CancellationToken));
        var generatedFrom = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Contract", "openapi.json"), TestContext.Current.CancellationToken));

        Assert.True(JsonNode.DeepEquals(served, generatedFrom),
            "The served /openapi/v1.json differs from tests/OpenPars.Web.Tests/Contract/Client/openapi.json: run tools/generate-client and commit the client.");
    }

    [Theory, AllProviders]
    public async Task The_generated_client_searches_as_a_partner_with_the_three_headers(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        var agreement = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var number = await AgreementHttp.BookAsync(server);
        using var http = server.Client(Roles.PartnerAnalyst);

        var answer = await ClientFor(server, http).Api.V1.Partner.Arrests.GetAsync(request =>
        {
            request.QueryParameters.LastName = "Okafor";
            request.QueryParameters.DateOfBirth = "1991-05-17";
            request.Headers.Add("OpenPars-Purpose", TestAgreementDocuments.Purpose);
            request.Headers.Add("OpenPars-Reason", TestAgreementDocuments.Reason);
            request.Headers.Add("OpenPars-Case-Number", TestAgreementDocuments.CaseNumber);
        }, TestContext.Current.CancellationToken);

        Assert.NotNull(answer);
        Assert.Equal(agreement, answer.Agreement!.Id);
        Assert.Contains("arrestNumber", answer.DisclosedFields!);
        var record = Assert.IsType<UntypedObject>(Assert.Single(Assert.IsType<UntypedArray>(answer.Records).GetValue()));
        Assert.Equal(number, Assert.IsType<UntypedString>(record.GetValue()["arrestNumber"]).GetValue());
    }

    [Theory, AllProviders]
    public async Task The_generated_client_casts_a_stakeholder_vote(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        var partner = await AgreementArrange.NewPartnerAsync(server);
        var id = await AgreementArrange.AgreementAsync(server, partner, ArrangedState.Proposed);
        var representatives = await AgreementArrange.RepresentativesAsync(server);
        using var http = server.Client();
        http.DefaultRequestHeaders.Authorization = new("Bearer", representatives["PPD"]);

        var answer = await ClientFor(server, http).Api.V1.Agreements[id].Votes.PostAsync(
            new VoteRequest { Vote = "consent", Statement = "The police department consents to these terms." }, cancellationToken: TestContext.Current.CancellationToken);

        Assert.NotNull(answer);
        Assert.Equal(id, answer.AgreementId);
        var vote = Assert.Single(answer.Votes!);
        Assert.Equal("consent", vote.Vote);
        Assert.Equal("PPD", vote.Agency);
        Assert.Equal(AgencyKinds.ToCode(OpenPars.Core.Agencies.AgencyKind.Police), vote.AgencyKind);
        Assert.Equal("proposed", answer.Status!.Status);
    }
}
