using System.Net;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;

namespace OpenPars.Web.Tests.Audit;

/// <summary>What a privacy officer and an outside auditor do with the log over HTTP.</summary>
public sealed class AuditApiTests(WebServerFixture fixture) : IClassFixture<WebServerFixture>
{
    private CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task Every_look_at_an_arrest_can_be_found_by_arrest_number_actor_and_outcome(StorageProvider provider)
    {
        var web = await fixture.ForAsync(provider);
        var number = await web.BookAsync(SampleBookings.Valid("Lookedat", "Lena"));
        using (var attorney = web.Server.Client(Roles.ChargingAttorney))
        {
            (await attorney.GetAsync($"/api/v1/arrests/{number}", Ct)).Dispose();
            (await attorney.GetAsync("/api/v1/arrests?lastName=lookedat", Ct)).Dispose();
        }

        using (var partner = web.Server.Client(Roles.PartnerAnalyst))
        {
            (await partner.GetAsync($"/api/v1/arrests/{number}", Ct)).Dispose();
        }

        using var privacy = web.Server.Client(Roles.PrivacyOfficer);
        var looks = await Entries(privacy, $"arrestNumber={number}");
        // Newest first; the partner's refused attempt is found under the record it named, with who tried.
        Assert.Equal(["arrest.read", "arrest.searched", "arrest.read", "arrest.booked"], looks.Select(e => e["event"]!.GetValue<string>()));
        Assert.Equal(["refused", "allowed", "allowed", "allowed"], looks.Select(e => e["outcome"]!.GetValue<string>()));
        Assert.Equal(Roles.PartnerAnalyst, looks[0]["actor"]!["user"]!.GetValue<string>());
        Assert.Equal([number], looks[0]["requested"]!.AsArray().Select(n => n!.GetValue<string>()));
        Assert.Null(looks[0]["records"]);

        var refused = await Entries(privacy, $"actor={Roles.PartnerAnalyst}&outcome=refused");
        Assert.Contains(refused, e => e["path"]!.GetValue<string>() == $"/api/v1/arrests/{number}" && e["code"]!.GetValue<string>() == "PARS-AUTH-002");

        var searches = await Entries(privacy, $"eventType={(int)AuditEventType.ArrestsSearched}&actor={Roles.ChargingAttorney}");
        Assert.Contains(searches, e => e["criteria"]?["lastName"]?.GetValue<string>() == "lookedat");

        // Reading the log is itself on the log.
        var reads = await Entries(privacy, $"eventType={(int)AuditEventType.AuditEntriesRead}");
        Assert.True(reads.Count >= 3);
    }

    [Theory, AllProviders]
    public async Task Inclusion_and_consistency_proofs_verify_against_signed_checkpoints(StorageProvider provider)
    {
        var web = await fixture.ForAsync(provider);
        await web.BookAsync();
        var firstSize = await web.CheckpointNowAsync();
        await web.BookAsync();
        await web.BookAsync();
        var secondSize = await web.CheckpointNowAsync();

        using var privacy = web.Server.Client(Roles.PrivacyOfficer);
        var key = ECDsa.Create();
        key.ImportFromPem((await Get(privacy, "/api/v1/audit/public-key"))["publicKeyPem"]!.GetValue<string>());
        var first = await Checkpoint(privacy, $"/api/v1/audit/checkpoints?size={firstSize}", key);
        var second = await Checkpoint(privacy, "/api/v1/audit/checkpoints/latest", key);
        Assert.Equal(secondSize, second.TreeSize);

        for (var index = 0L; index < second.TreeSize; index += Math.Max(1, second.TreeSize / 7))
        {
            var proof = await Get(privacy, $"/api/v1/audit/proofs/inclusion?index={index}&treeSize={second.TreeSize}");
            var entryBytes = Rfc8785Canonicalizer.Canonicalize(proof["entry"]);
            var leaf = MerkleHash.LeafHash(entryBytes);
            Assert.Equal(Convert.ToBase64String(leaf), proof["leafHash"]!.GetValue<string>());
            var path = proof["auditPath"]!.AsArray().Select(n => Convert.FromBase64String(n!.GetValue<string>())).ToList();
            Assert.True(MerkleTree.VerifyInclusion(leaf, index, second.TreeSize, path, second.RootHash), $"inclusion of {index}");

            // A proof for another index must not verify.
            Assert.False(MerkleTree.VerifyInclusion(leaf, (index + 1) % second.TreeSize, second.TreeSize, path, second.RootHash) && second.TreeSize > 1 && path.Count > 0);
        }

        var consistency = await Get(privacy, $"/api/v1/audit/proofs/consistency?from={first.TreeSize}&to={second.TreeSize}");
        var steps = consistency["proof"]!.AsArray().Select(n => Convert.FromBase64String(n!.GetValue<string>())).ToList();
        Assert.True(MerkleTree.VerifyConsistency(first.TreeSize, second.TreeSize, first.RootHash, second.RootHash, steps));
    }

    public static TheoryData<StorageProvider, string, string> BadQueries() => Providers.Each(
    [
        ("/api/v1/audit/proofs/inclusion?index=5&treeSize=3", "PARS-AUD-003"),
        ("/api/v1/audit/proofs/inclusion?treeSize=3", "PARS-REQ-006"),
        ("/api/v1/audit/proofs/consistency?from=9&to=2", "PARS-AUD-003"),
        ("/api/v1/audit/checkpoints?size=123456789", "PARS-AUD-002"),
        ("/api/v1/audit/entries?outcome=maybe", "PARS-REQ-006"),
        ("/api/v1/audit/entries?eventType=4242", "PARS-REQ-006"),
    ]);

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task Bad_audit_queries_are_refused_with_a_code(StorageProvider provider, string path, string code)
    {
        var web = await fixture.ForAsync(provider);
        using var privacy = web.Server.Client(Roles.PrivacyOfficer);
        using var response = await privacy.GetAsync(path, Ct);
        Assert.False(response.IsSuccessStatusCode);
        Assert.Contains(code, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    private async Task<IReadOnlyList<JsonObject>> Entries(HttpClient client, string query) =>
        (await Get(client, $"/api/v1/audit/entries?limit=200&{query}"))["items"]!.AsArray().Select(i => i!["entry"]!.AsObject()).ToList();

    private async Task<JsonObject> Get(HttpClient client, string path)
    {
        using var response = await client.GetAsync(path, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.ReadAsync<JsonObject>();
    }

    private async Task<Checkpoint> Checkpoint(HttpClient client, string path, ECDsa key)
    {
        var note = (await Get(client, path))["note"]!.GetValue<string>();
        Assert.True(CheckpointVerifier.TryParseAndVerify(note, key, out var checkpoint, out var error), error);
        return checkpoint!;
    }
}
