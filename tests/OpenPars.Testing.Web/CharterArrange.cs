using System.Text.Json.Nodes;
using OpenPars.Core.Agreements;
using OpenPars.Core.Charter;
using OpenPars.Storage.Charter;

namespace OpenPars.Testing.Web;

/// <summary>Arrange steps on a test server's charter, without HTTP: the charter in force, the body of its next
/// version, an open amendment (proposed by the police), or none open (rejected by the courts).</summary>
public static class CharterArrange
{
    public static CharterStore Store(OpenParsTestServer server) => new(server.NewContext(), server.Clock, TestAudit.Trail(server.Storage, server.Clock));

    public static async Task<CharterHistory> HistoryAsync(OpenParsTestServer server) =>
        CharterHistory.Fold(await Store(server).EventsAsync(), server.Clock.GetUtcNow());

    /// <summary>The whole next version of the charter in force, changed by <paramref name="change"/>, as a request sends it.</summary>
    public static async Task<JsonNode> NextVersionAsync(OpenParsTestServer server, Func<CharterDocument, CharterDocument>? change = null)
    {
        var inForce = (await HistoryAsync(server)).InForce!;
        var next = (change ?? (c => c))(inForce) with { Version = inForce.Version + 1 };
        return JsonNode.Parse(CharterJson.Serialize(next))!;
    }

    /// <summary>The version of the open amendment, proposing one (the next version, unchanged but for its title) when none is open.</summary>
    public static async Task<int> OpenAmendmentAsync(OpenParsTestServer server)
    {
        var history = await HistoryAsync(server);
        if (history.Open is { } open)
        {
            return open.Charter.Version;
        }

        var next = history.InForce! with { Version = history.InForce.Version + 1, Title = history.InForce.Title + " (amended)" };
        return (await Store(server).ProposeAsync(next, "The police propose a clarified title.", AgreementArrange.Police)).Charter.Version;
    }

    /// <summary>Closes the open amendment, if any, by the courts' rejection (or the police's, if the courts voted).</summary>
    public static async Task CloseOpenAmendmentAsync(OpenParsTestServer server)
    {
        if ((await HistoryAsync(server)).Open is { } open)
        {
            var voter = open.Votes.ContainsKey(AgreementArrange.Courts.AgencyCode) ? AgreementArrange.Police : AgreementArrange.Courts;
            await Store(server).VoteAsync(open.Charter.Version, VoteKind.Reject, "Closed for the next test.", voter);
        }
    }
}
