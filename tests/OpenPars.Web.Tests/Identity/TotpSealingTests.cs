using System.Data.Common;
using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.App.Hosting;
using OpenPars.App.Identity;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Demo;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Common;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using OtpNet;

namespace OpenPars.Web.Tests.Identity;

/// <summary>TOTP secrets sealed at rest (AES-256-GCM, bound to the user, key file beside the audit key), on each
/// provider: no column holds the base32 secret after enrolment or demo seeding; a sealed value copied onto another
/// user's row does not sign in and is a refusal on the record, not a 500; a missing, replaced or unsafe key file fails
/// closed with its code; and an installation that stored secrets in plaintext has them sealed at its first start, the
/// same authenticator still signing in.</summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")] // the key file's Unix mode is part of what is tested
public sealed class TotpSealingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task No_column_holds_a_secret_after_enrolment_or_demo_seeding_and_the_key_is_owner_only(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var officer = await PageSignIn.EnrolAsync(server, Roles.BookingOfficer);

        IReadOnlyList<DemoCredential> demo;
        await using (var db = server.NewContext())
        {
            var trail = TestAudit.Trail(server.Storage, server.Clock);
            demo = await DemoIdentities.SeedAsync(db, new IdentityStore(db, server.Clock, trail), new SignInStore(db, server.Clock, trail, new SecretBoxes(server.Storage.AuditKeyPath())), Ct);
        }

        var secrets = demo.Select(c => c.TotpSecret!).Append(officer.TotpSecret).ToList();
        Assert.All(secrets, s => Assert.False(string.IsNullOrEmpty(s)));
        var dump = await DumpAsync(server, "users", "totp_secrets_to_seal", "audit_entries");
        foreach (var secret in secrets)
        {
            Assert.DoesNotContain(secret, dump, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToHexString(Base32Encoding.ToBytes(secret)), dump, StringComparison.OrdinalIgnoreCase);
        }

        await using (var db = server.NewContext())
        {
            Assert.Equal(0, await db.Users.CountAsync(u => u.PasswordHash != null && u.TotpSecretSealed == null, Ct));
        }

        var key = new SecretBoxes(server.Storage.AuditKeyPath()).TotpKeyPath;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(key));

        // Both still sign in: the officer and a demo user with the secret printed for them.
        using var signedIn = await PageSignIn.SignedInAsync(server, officer);
        var booking = demo.First(c => c.User == DemoIdentities.BookingOfficer);
        using var demoSignedIn = await PageSignIn.SignedInAsync(server, new PageCredentials(booking.User, booking.Password!, booking.TotpSecret!, []));
    }

    [Theory, AllProviders]
    public async Task A_sealed_secret_copied_onto_another_users_row_does_not_sign_in_and_is_a_refusal_on_the_record(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var officer = await PageSignIn.EnrolAsync(server, Roles.BookingOfficer);
        var attorney = await PageSignIn.EnrolAsync(server, Roles.ChargingAttorney);

        // Someone with write access to the database copies the officer's sealed secret onto the attorney's row, so the
        // officer's authenticator would open the attorney's account.
        await using (var db = server.NewContext())
        {
            var sealedOfficer = await db.Users.Where(u => u.Name == officer.UserName).Select(u => u.TotpSecretSealed).SingleAsync(Ct);
            await db.Users.Where(u => u.Name == attorney.UserName).ExecuteUpdateAsync(s => s.SetProperty(u => u.TotpSecretSealed, sealedOfficer), Ct);
        }

        var before = await server.AuditSizeAsync();
        using var response = await PasswordThenCodeAsync(server, attorney.UserName, attorney.Password, PageSignIn.CodeNow(server, officer));
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Contains(SignInErrorCodes.SecondFactorUnreadable, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Null(SessionCookie(server, response));

        var entries = await server.AuditEntriesSinceAsync(before);
        var code = Assert.Single(entries, e => e["type"]!.GetValue<int>() == (int)AuditEventType.SignInCode);
        Assert.Equal("refused", code["outcome"]!.GetValue<string>());
        Assert.Equal(SignInErrorCodes.SecondFactorUnreadable, code["code"]!.GetValue<string>());
        Assert.DoesNotContain(entries, e => e["outcome"]!.GetValue<string>() == "failed");

        // The attorney's own secret no longer opens either (the row holds the officer's), and the officer is unaffected.
        using var own = await PasswordThenCodeAsync(server, attorney.UserName, attorney.Password, PageSignIn.CodeNow(server, attorney));
        Assert.Equal(HttpStatusCode.Unauthorized, own.StatusCode);
        using var officerClient = await PageSignIn.SignedInAsync(server, officer);
    }

    [Theory, AllProviders]
    public async Task A_missing_replaced_or_unsafe_key_file_fails_sign_in_closed_with_its_code(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var officer = await PageSignIn.EnrolAsync(server, Roles.BookingOfficer);
        var keyPath = new SecretBoxes(server.Storage.AuditKeyPath()).TotpKeyPath;
        var original = await File.ReadAllTextAsync(keyPath, Ct);

        // Gone: nothing is checked, and no new key is made over the sealed secrets.
        File.Delete(keyPath);
        await server.RestartAsync();
        await RefusedAsync(server, officer, HttpStatusCode.ServiceUnavailable, SignInErrorCodes.SecondFactorKeyUnavailable);
        Assert.False(File.Exists(keyPath));

        // Another key: the sealed secret does not open under it.
        await File.WriteAllTextAsync(keyPath, Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32)), Ct);
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await server.RestartAsync();
        await RefusedAsync(server, officer, HttpStatusCode.Unauthorized, SignInErrorCodes.SecondFactorUnreadable);

        // The right key, readable by others: refused until it is owner-only again.
        await File.WriteAllTextAsync(keyPath, original, Ct);
        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);
        await server.RestartAsync();
        await RefusedAsync(server, officer, HttpStatusCode.ServiceUnavailable, SignInErrorCodes.SecondFactorKeyUnavailable);

        File.SetUnixFileMode(keyPath, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        await server.RestartAsync();
        using var client = await PageSignIn.SignedInAsync(server, officer);
    }

    [Theory, AllProviders]
    public async Task An_older_installations_plaintext_secret_is_sealed_at_the_first_start_and_the_same_authenticator_signs_in(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var userId = server.UserIds[Roles.Magistrate];
        var name = await NameAsync(server, userId);
        using (var scope = server.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<SignInUseCases>().SetPasswordAsync(Caller.Operator("test"), userId, PageSignIn.Password);
        }

        // The schema before sealing, with the secret as that code stored it: base32 text in users.totp_secret.
        var secret = Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));
        await using (var db = server.NewContext())
        {
            await db.GetService<IMigrator>().MigrateAsync("Watches", cancellationToken: Ct);
            await db.Database.ExecuteSqlAsync($"UPDATE users SET totp_secret = {secret} WHERE id = {userId}", Ct);
        }

        Assert.Contains(secret, await DumpAsync(server, "users"), StringComparison.Ordinal);

        // The upgrade: the start migrates and seals, then serves.
        await OpenParsDatabase.MigrateAsync(server.Storage, server.Clock, charter: null, Ct);
        await server.RestartAsync();

        Assert.DoesNotContain(secret, await DumpAsync(server, "users", "totp_secrets_to_seal"), StringComparison.Ordinal);
        await using (var db = server.NewContext())
        {
            Assert.Equal(0, await db.UnsealedTotpSecrets.CountAsync(Ct));
            var sealedSecret = await db.Users.Where(u => u.Id == userId).Select(u => u.TotpSecretSealed).SingleAsync(Ct);
            Assert.NotNull(sealedSecret);
        }

        using var client = await PageSignIn.SignedInAsync(server, new PageCredentials(name, PageSignIn.Password, secret, []));
        var (status, _, _) = await client.GetAsync("/arraignment");
        Assert.Equal(HttpStatusCode.OK, status);

        // A second start has nothing left to seal and changes nothing.
        await OpenParsDatabase.MigrateAsync(server.Storage, server.Clock, charter: null, Ct);
        await using (var db = server.NewContext())
        {
            Assert.Equal(0, await db.UnsealedTotpSecrets.CountAsync(Ct));
        }
    }

    private static async Task RefusedAsync(OpenParsTestServer server, PageCredentials who, HttpStatusCode status, string code)
    {
        var before = await server.AuditSizeAsync();
        using var response = await PasswordThenCodeAsync(server, who.UserName, who.Password, PageSignIn.CodeNow(server, who));
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(code, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Null(SessionCookie(server, response));
        var entry = Assert.Single(await server.AuditEntriesSinceAsync(before), e => e["type"]!.GetValue<int>() == (int)AuditEventType.SignInCode);
        Assert.Equal("refused", entry["outcome"]!.GetValue<string>());
        Assert.Equal(code, entry["code"]!.GetValue<string>());
    }

    private static async Task<HttpResponseMessage> PasswordThenCodeAsync(OpenParsTestServer server, string userName, string password, string code)
    {
        var client = PageSignIn.Client(server);
        using (var first = await client.SubmitAsync("/sign-in", "/sign-in", new() { ["userName"] = userName, ["password"] = password }))
        {
            Assert.Equal(HttpStatusCode.Found, first.StatusCode);
        }

        return await client.SubmitAsync("/sign-in/code", "/sign-in/code", new() { ["code"] = code });
    }

    private static string? SessionCookie(OpenParsTestServer server, HttpResponseMessage response) =>
        response.Headers.TryGetValues("Set-Cookie", out var cookies)
            ? cookies.FirstOrDefault(c => c.StartsWith(Web.Security.PageSessionHandler.SessionCookie + "=", StringComparison.Ordinal) && !c.Contains("expires=Thu, 01 Jan 1970", StringComparison.OrdinalIgnoreCase))
            : null;

    private static async Task<string> NameAsync(OpenParsTestServer server, long userId)
    {
        await using var db = server.NewContext();
        return await db.Users.Where(u => u.Id == userId).Select(u => u.Name).SingleAsync(Ct);
    }

    // Every value of every row of the tables, as text (blobs also as UTF-8 and hex): what a database dump would show.
    private static async Task<string> DumpAsync(OpenParsTestServer server, params string[] tables)
    {
        var dump = new StringBuilder();
        await using var db = server.NewContext();
        var connection = db.Database.GetDbConnection();
        await connection.OpenAsync(Ct);
        foreach (var table in tables)
        {
            await using var command = connection.CreateCommand();
            command.CommandText = $"SELECT * FROM {table}";
            await using DbDataReader reader = await command.ExecuteReaderAsync(Ct);
            while (await reader.ReadAsync(Ct))
            {
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    var value = reader.GetValue(i);
                    dump.Append(value is byte[] bytes ? Encoding.UTF8.GetString(bytes) + " " + Convert.ToHexString(bytes) : value.ToString()).Append('|');
                }

                dump.AppendLine();
            }
        }

        return dump.ToString();
    }
}
