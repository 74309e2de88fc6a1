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
    public async Task A_token_is_printed_once_and_only_its_hash_is_stored(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = CliRunner.StorageArgs(db.Settings);
        Assert.Equal(0, (await CliRunner.RunAsync(["agency", "add", "--code", "PPD", "--name", "Police Department", "--kind", "police", .. store])).ExitCode);
        Assert.Equal(0, (await CliRunner.RunAsync(["user", "add", "--agency", "PPD", "--name", "ppd.booking", "--roles", "booking-officer", .. store])).ExitCode);
        var created = await CliRunner.RunAsync(["token", "create", "--user", "ppd.booking", "--expires", "30d", .. store]);
        Assert.Equal(0, created.ExitCode);

        var secret = SecretPattern().Match(created.Output).Value;
        Assert.StartsWith("opk_", secret, StringComparison.Ordinal);
        Assert.Single(SecretPattern().Matches(created.Output));

        await using var ctx = db.NewContext();
        var token = await ctx.Tokens.SingleAsync();
        Assert.Equal(SHA256.HashData(Encoding.UTF8.GetBytes(secret)), token.SecretHash);
        Assert.DoesNotContain(Encoding.UTF8.GetBytes(secret), (await ctx.Tokens.Select(t => t.Label).ToListAsync()).Select(Encoding.UTF8.GetBytes));
        Assert.NotNull(await db.Identity().AuthenticateAsync(secret));

        // Each command that changed data is on the audit record, as the CLI, with the operating-system user.
        var entries = (await ctx.AuditEntries.OrderBy(e => e.Index).Select(e => e.Entry).ToListAsync()).Select(Encoding.UTF8.GetString).ToList();
        Assert.Equal(3, entries.Count);
        Assert.All(entries, e => Assert.Contains("\"channel\":\"cli\"", e, StringComparison.Ordinal));
        Assert.Contains("\"event\":\"admin.token-created\"", entries[2], StringComparison.Ordinal);
        Assert.DoesNotContain(secret, string.Concat(entries), StringComparison.Ordinal);

        // Revoked: the very next authentication fails.
        var revoked = await CliRunner.RunAsync(["token", "revoke", "--id", token.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), .. store]);
        Assert.Equal(0, revoked.ExitCode);
        Assert.Null(await db.Identity().AuthenticateAsync(secret));
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

        var expires = await CliRunner.RunAsync(["token", "create", "--user", "nobody", "--expires", "forever", .. CliRunner.StorageArgs(db.Settings)]);
        Assert.Equal(2, expires.ExitCode);
        Assert.Contains("--expires", expires.Output, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"opk_[A-Za-z0-9_\-]{20,}")]
    private static partial Regex SecretPattern();
}
