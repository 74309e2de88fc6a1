using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Agreements;

namespace OpenPars.Testing.Web;

public enum ArrangedState
{
    Draft,
    Proposed,
    Active,
    Terminated,
}

/// <summary>Arrange steps on a test server's store, without HTTP: partner agencies, agreements in a given state,
/// the stakeholder representatives a vote over HTTP needs.</summary>
public static class AgreementArrange
{
    public static readonly AgreementActor Police = new(0, "arrange.ppd", "PPD", AgencyKind.Police);
    public static readonly AgreementActor DistrictAttorney = new(0, "arrange.dao", "DAO", AgencyKind.DistrictAttorney);
    public static readonly AgreementActor Courts = new(0, "arrange.fjd", "FJD", AgencyKind.Courts);

    private static readonly SemaphoreSlim RepresentativesLock = new(1, 1);

    public static AgreementStore Store(OpenParsTestServer server) => new(server.NewContext(), server.Clock, TestAudit.Trail(server.Storage, server.Clock));

    /// <summary>A new partner agency with a fresh code.</summary>
    public static async Task<string> NewPartnerAsync(OpenParsTestServer server)
    {
        var code = "P" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await using var db = server.NewContext();
        await new IdentityStore(db, server.Clock, TestAudit.Trail(server.Storage, server.Clock)).AddAgencyAsync(code, $"Partner {code}", AgencyKinds.ToCode(AgencyKind.Partner));
        return code;
    }

    /// <summary>An agreement for <paramref name="partner"/> brought to <paramref name="state"/> (active from a day ago
    /// for 300 days unless told otherwise). Returns its id.</summary>
    public static async Task<string> AgreementAsync(OpenParsTestServer server, string partner, ArrangedState state, DateTimeOffset? effectiveAt = null, DateTimeOffset? expiresAt = null)
    {
        var now = server.Clock.GetUtcNow();
        var id = "agr-" + Guid.NewGuid().ToString("N")[..10];
        var document = AgreementJson.Parse(TestAgreementDocuments.Document(id, partner, effectiveAt ?? now.AddDays(-1), expiresAt ?? now.AddDays(300)).ToJsonString());
        var store = Store(server);
        await store.DraftAsync(document, DistrictAttorney);
        if (state >= ArrangedState.Proposed)
        {
            await store.ProposeAsync(id, null, DistrictAttorney);
        }

        if (state >= ArrangedState.Active)
        {
            foreach (var actor in new[] { Police, DistrictAttorney, Courts })
            {
                await store.VoteAsync(id, VoteKind.Consent, "We consent to these terms.", null, null, actor);
            }
        }

        if (state >= ArrangedState.Terminated)
        {
            foreach (var actor in new[] { Police, Courts })
            {
                await store.VoteAsync(id, VoteKind.Withdraw, "We withdraw from this agreement.", null, null, actor);
            }
        }

        return id;
    }

    /// <summary>Tokens of one stakeholder representative per stakeholder agency (PPD, DAO, FJD); DAO's is the
    /// server's own stakeholder-representative caller, the others are added once.</summary>
    public static async Task<IReadOnlyDictionary<string, string>> RepresentativesAsync(OpenParsTestServer server)
    {
        await RepresentativesLock.WaitAsync();
        try
        {
            await using var db = server.NewContext();
            var identity = new IdentityStore(db, server.Clock, TestAudit.Trail(server.Storage, server.Clock));
            var tokens = new Dictionary<string, string> { ["DAO"] = server.Tokens[Roles.StakeholderRepresentative] };
            foreach (var agency in new[] { "PPD", "FJD" })
            {
                var name = $"{agency.ToLowerInvariant()}.rep.{Guid.NewGuid().ToString("N")[..6]}";
                var user = await identity.AddUserAsync(agency, name, [Roles.StakeholderRepresentative]);
                tokens[agency] = (await identity.CreateTokenAsync(user.Id, TimeSpan.FromDays(30), name)).Secret;
            }

            return tokens;
        }
        finally
        {
            RepresentativesLock.Release();
        }
    }
}
