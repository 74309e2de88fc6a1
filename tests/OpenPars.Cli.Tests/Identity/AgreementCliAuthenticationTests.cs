using Microsoft.EntityFrameworkCore;
using OpenPars.Storage.Agencies;
using OpenPars.Testing;
using OpenPars.App.Hosting;

namespace OpenPars.Cli.Tests.Identity;

/// <summary>
/// Issue 9: `agreement vote --as USER` acted as anyone named. A CLI command that acts for a person now authenticates as
/// that person with their token (--token or OPENPARS_TOKEN), resolved as the API resolves a bearer token.
/// </summary>
public sealed class AgreementCliAuthenticationTests
{
    [Theory, AllProviders]
    public async Task Voting_as_someone_named_or_with_someone_elses_or_no_token_is_refused_and_changes_nothing(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = CliRunner.StorageArgs(db.Settings);
        await db.Identity().AddAgencyAsync("PPD", "Police Department", "police");
        await db.Identity().AddAgencyAsync("DAO", "District Attorney", "district-attorney");
        await db.Identity().AddUserAsync("DAO", "dao.representative", ["stakeholder-representative"]);
        var officer = await db.Identity().AddUserAsync("PPD", "ppd.booking", ["booking-officer"]);
        var (_, officerToken) = await SystemClockIdentity(db).CreateTokenAsync(officer.Id, null, "desk");
        string[] vote = ["agreement", "vote", "--id", "fbi-2026", "--vote", "consent", "--statement", "The DA consents."];
        var before = await CountsAsync(db);

        var named = await CliRunner.RunAsync([.. vote, "--as", "dao.representative", .. store]);
        Assert.NotEqual(0, named.ExitCode);
        Assert.Contains("--as", named.Output, StringComparison.Ordinal);

        var noToken = await CliRunner.RunAsync([.. vote, .. store]);
        Assert.Equal(2, noToken.ExitCode);
        Assert.Contains("--token", noToken.Output, StringComparison.Ordinal);

        var forged = await CliRunner.RunAsync([.. vote, "--token", TokenSecrets.NewSecret(), .. store]);
        Assert.Equal(2, forged.ExitCode);
        Assert.Contains("unknown, revoked or expired", forged.Output, StringComparison.Ordinal);

        var notARepresentative = await CliRunner.RunAsync([.. vote, "--token", officerToken, .. store]);
        Assert.Equal(2, notARepresentative.ExitCode);
        Assert.Contains("ppd.booking is not a stakeholder-representative", notARepresentative.Output, StringComparison.Ordinal);

        Assert.Equal(before, await CountsAsync(db));
    }

    private static async Task<(int Agreements, int Events, int Users, int Tokens)> CountsAsync(TestDatabase db)
    {
        await using var ctx = db.NewContext();
        return (await ctx.Agreements.CountAsync(), await ctx.Events.CountAsync(), await ctx.Users.CountAsync(), await ctx.Tokens.CountAsync());
    }

    // The CLI and the server run on the system clock: a token the test arranges must be valid now, not at TestClock.Start.
    private static IdentityStore SystemClockIdentity(TestDatabase db) => new(db.NewContext(), TimeProvider.System, TestAudit.Trail(db.Settings, TimeProvider.System));
}
