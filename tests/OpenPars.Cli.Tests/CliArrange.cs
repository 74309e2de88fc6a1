using System.Globalization;
using System.Text.Json.Nodes;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Agreements;
using OpenPars.Testing;

namespace OpenPars.Cli.Tests;

/// <summary>What several CLI tests arrange in a store before they run a command or a server on it, on the system
/// clock (the CLI and `openpars serve` run on it): the three stakeholders and partners, users with tokens, and
/// agreements voted in by all three stakeholders.</summary>
public static class CliArrange
{
    /// <summary>The three stakeholders of the charter, by code and kind.</summary>
    public static readonly (string Code, string Kind)[] Stakeholders = [("PPD", "police"), ("DAO", "district-attorney"), ("FJD", "courts")];

    private static readonly AgreementActor Police = new(0, "arrange.ppd", "PPD", AgencyKind.Police);
    private static readonly AgreementActor DistrictAttorney = new(0, "arrange.dao", "DAO", AgencyKind.DistrictAttorney);
    private static readonly AgreementActor Courts = new(0, "arrange.fjd", "FJD", AgencyKind.Courts);

    /// <summary>Adds the three stakeholders and each of <paramref name="partners"/> (kind partner).</summary>
    public static async Task AgenciesAsync(TestDatabase db, params string[] partners)
    {
        foreach (var (code, kind) in Stakeholders)
        {
            await db.Identity().AddAgencyAsync(code, $"Agency {code}", kind);
        }

        foreach (var partner in partners)
        {
            await db.Identity().AddAgencyAsync(partner, $"Agency {partner}", "partner");
        }
    }

    /// <summary>A user of <paramref name="agency"/> with <paramref name="roles"/> and a token valid now.</summary>
    public static async Task<(long UserId, string Token)> UserAsync(TestDatabase db, string agency, string name, params string[] roles)
    {
        var identity = new IdentityStore(db.NewContext(), TimeProvider.System, TestAudit.Trail(db.Settings, TimeProvider.System));
        var user = await identity.AddUserAsync(agency, name, roles);
        var (_, token) = await identity.CreateTokenAsync(user.Id, null, "cli test");
        return (user.Id, token);
    }

    /// <summary>The example ICE agreement (docs/agreements/examples/ice-2026.json) as <paramref name="agreementId"/> for
    /// <paramref name="partner"/>, in force from yesterday for 30 days, changed by <paramref name="change"/>; drafted
    /// and proposed by the district attorney and, unless <paramref name="consent"/> is false, consented to by all three.</summary>
    public static async Task AgreementAsync(TestDatabase db, string agreementId, string partner, Action<JsonObject>? change = null, bool consent = true)
    {
        var agreements = new AgreementStore(db.NewContext(), TimeProvider.System, TestAudit.Trail(db.Settings, TimeProvider.System));
        var now = DateTimeOffset.UtcNow;
        var document = JsonNode.Parse(File.ReadAllText(TestRepository.PathOf("docs", "agreements", "examples", "ice-2026.json")))!.AsObject();
        document["agreementId"] = agreementId;
        document["partnerAgency"] = partner;
        document["effectiveAt"] = now.AddDays(-1).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
        document["expiresAt"] = now.AddDays(30).ToString("yyyy-MM-dd'T'HH:mm:ssK", CultureInfo.InvariantCulture);
        change?.Invoke(document);
        await agreements.DraftAsync(AgreementJson.Parse(document.ToJsonString()), DistrictAttorney);
        await agreements.ProposeAsync(agreementId, null, DistrictAttorney);
        if (consent)
        {
            foreach (var actor in new[] { Police, DistrictAttorney, Courts })
            {
                await agreements.VoteAsync(agreementId, VoteKind.Consent, "We consent.", null, null, actor);
            }
        }
    }
}
