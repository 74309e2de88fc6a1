using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OpenPars.Testing;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;

namespace OpenPars.Cli.Tests.Identity;

public sealed partial class TokenCommandTests
{
    [Theory, AllProviders]
    public async Task An_agencys_first_admin_redeems_an_enrolment_for_a_token_printed_once_and_stored_hashed(StorageProvider provider)
    {
        // Adapted (issue 9): the operator no longer creates a token for a person; they enrol the agency's first
        // administrator, who redeems the secret for their own token.
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = CliRunner.StorageArgs(db.Settings);
        Assert.Equal(0, (await CliRunner.RunAsync(["agency", "add", "--code", "PPD", "--name", "Police Department", "--kind", "police", .. store])).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(["user", "add", "--agency", "PPD", "--name", "ppd.records", "--roles", "records-admin", .. store])).ExitCode);
        var enrolled = await CliRunner.RunAsync(["token", "enrol", "--user", "ppd.records", .. store]);
        Assert.Equal(0, enrolled.ExitCode);
        var enrolment = EnrolmentPattern().Match(enrolled.Output).Value;
        Assert.StartsWith("ope_", enrolment, StringComparison.Ordinal);
        Assert.Empty(SecretPattern().Matches(enrolled.Output));

        var created = await CliRunner.RunAsync(["token", "redeem", "--secret", enrolment, "--expires", "30d", .. store]);
        Assert.Equal(0, created.ExitCode);
        var secret = SecretPattern().Match(created.Output).Value;
        Assert.StartsWith("opk_", secret, StringComparison.Ordinal);
        Assert.Single(SecretPattern().Matches(created.Output));
        Assert.Equal(1, (await CliRunner.RunAsync(["token", "redeem", "--secret", enrolment, .. store])).ExitCode);

        await using var ctx = db.NewContext();
        var token = await ctx.Tokens.SingleAsync(t => t.Label != "enrolment");
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), token.SecretHash);
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(enrolment)), (await ctx.Tokens.SingleAsync(t => t.Label == "enrolment")).SecretHash);
        Assert.NotNull(await db.Identity().AuthenticateAsync(secret));
        Assert.Null(await db.Identity().AuthenticateAsync(enrolment));

        // Each command that changed data is on the audit record, as the CLI, with the operating-system user.
        // (Entry 0 is the charter's adoption at the store's first migration, also a CLI entry.)
        var entries = (await ctx.AuditEntries.Where(e => e.Index > 0).OrderBy(e => e.Index).Select(e => e.Entry).ToListAsync()).Select(Encoding.UTF8.GetString).ToList();
        Assert.Contains("\"event\":\"charter.adopted\"", Encoding.UTF8.GetString(await ctx.AuditEntries.Where(e => e.Index == 0).Select(e => e.Entry).SingleAsync()), StringComparison.Ordinal);
        Assert.Equal(5, entries.Count);
        Assert.All(entries, e => Assert.Contains("\"channel\":\"cli\"", e, StringComparison.Ordinal));
        Assert.Contains("\"event\":\"admin.enrolment-issued\"", entries[2], StringComparison.Ordinal);
        Assert.Contains("\"event\":\"admin.enrolment-redeemed\"", entries[3], StringComparison.Ordinal);
        Assert.Contains("PARS-ADM-009", entries[4], StringComparison.Ordinal);
        Assert.DoesNotContain(secret, string.Concat(entries), StringComparison.Ordinal);
        Assert.DoesNotContain(enrolment, string.Concat(entries), StringComparison.Ordinal);

        // Revoked: the very next authentication fails.
        var revoked = await CliRunner.RunAsync(["token", "revoke", "--id", token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), .. store]);
        Assert.Equal(0, revoked.ExitCode);
        Assert.Null(await db.Identity().AuthenticateAsync(secret));
    }

    [Theory, AllProviders]
    public async Task The_operator_adds_and_enrols_administrators_only_and_never_creates_a_token_for_anyone(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = CliRunner.StorageArgs(db.Settings);
        await CliRunner.RunAsync(["agency", "add", "--code", "DAO", "--name", "District Attorney", "--kind", "district-attorney", .. store]);
        var officer = await db.Identity().AddUserAsync("DAO", "dao.rep", ["stakeholder-representative"]);
        await using (var before = db.NewContext())
        {
            var users = await before.Users.CountAsync();
            var tokens = await before.Tokens.CountAsync();

            var planted = await CliRunner.RunAsync(["user", "add", "--agency", "DAO", "--name", "dao.rep2", "--roles", "stakeholder-representative", .. store]);
            Assert.Equal(1, planted.ExitCode);
            Assert.Contains("PARS-ADM-005", planted.Output, StringComparison.Ordinal);
            var mixed = await CliRunner.RunAsync(["user", "add", "--agency", "DAO", "--name", "dao.all", "--roles", "agency-admin,stakeholder-representative", .. store]);
            Assert.Equal(1, mixed.ExitCode);
            var enrol = await CliRunner.RunAsync(["token", "enrol", "--user", "dao.rep", .. store]);
            Assert.Equal(1, enrol.ExitCode);
            Assert.Contains("PARS-ADM-005", enrol.Output, StringComparison.Ordinal);
            var minted = await CliRunner.RunAsync(["token", "create", .. store]);
            Assert.Equal(2, minted.ExitCode);
            Assert.Contains("--token", minted.Output, StringComparison.Ordinal);

            await using var after = db.NewContext();
            Assert.Equal(users, await after.Users.CountAsync());
            Assert.Equal(tokens, await after.Tokens.CountAsync());
        }

        Assert.Equal("dao.rep", officer.Name);
    }

    [Theory, AllProviders]
    public async Task Bad_arguments_are_refused_with_a_message_not_a_stack_trace(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var run = await CliRunner.RunAsync(["agency", "add", "--code", "ppd lower", "--name", "X", "--kind", "police", .. CliRunner.StorageArgs(db.Settings)]);
        Assert.Equal(1, run.ExitCode);
        Assert.Contains("agency-code-format", run.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", run.Output, StringComparison.Ordinal);
        await using (var ctx = db.NewContext())
        {
            Assert.Equal(0, await ctx.Agencies.CountAsync(TestContext.Current.CancellationToken));
        }

        var expires = await CliRunner.RunAsync(["token", "redeem", "--secret", "ope_nothing", "--expires", "forever", .. CliRunner.StorageArgs(db.Settings)]);
        Assert.Equal(2, expires.ExitCode);
        Assert.Contains("--expires", expires.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"opk_[A-Za-z0-9_\-]{20,}")]
    private static partial Regex SecretPattern();

    [GeneratedRegex(@"ope_[A-Za-z0-9_\-]{20,}")]
    private static partial Regex EnrolmentPattern();
}
