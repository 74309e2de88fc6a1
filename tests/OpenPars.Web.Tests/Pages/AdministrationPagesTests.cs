using System.Net;
using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OpenPars.App.Hosting;
using OpenPars.App.Identity;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Testing;
using OpenPars.Testing.Web;

namespace OpenPars.Web.Tests.Pages;

/// <summary>The records admin's administration pages on each provider: each form's success, a refusal shown with its
/// code next to its field and changing nothing, a form without its antiforgery token refused, the resets (sessions
/// ended, the user re-enrols), one's own second factor, another agency's user, and every other role at the 403 page,
/// audited.</summary>
public sealed partial class AdministrationPagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] Pages = ["/admin/agencies", "/admin/users", "/admin/tokens", "/admin/webhooks"];

    [Theory, AllProviders]
    public async Task The_records_admin_onboards_a_partner_and_a_refused_or_forged_form_changes_nothing(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        using var admin = await PageSignIn.SignedInAsync(server, await PageSignIn.EnrolAsync(server, Roles.RecordsAdmin));

        var (status, html, _) = await admin.GetAsync("/admin/agencies");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains("href=\"/admin/users\"", html, StringComparison.Ordinal);
        Assert.Contains("data-agency=\"PPD\"", html, StringComparison.Ordinal);

        using (var added = await admin.SubmitAsync("/admin/agencies", "/admin/agencies", new() { ["code"] = "CBP", ["name"] = "Customs and Border Protection", ["kind"] = "partner", ["partnerKind"] = "immigration-enforcement" }))
        {
            Assert.Equal(HttpStatusCode.Found, added.StatusCode);
            Assert.Equal("/admin/agencies?added=CBP", added.Headers.Location!.OriginalString);
        }

        (_, html, _) = await admin.GetAsync("/admin/agencies?added=CBP");
        Assert.Contains("data-agency=\"CBP\"", html, StringComparison.Ordinal);
        Assert.Contains("Agency CBP is onboarded.", html, StringComparison.Ordinal);

        // A stakeholder agency is the operator's: refused with its code and rule, nothing added.
        var rows = await server.CountRowsAsync();
        var before = await server.AuditSizeAsync();
        using (var refused = await admin.SubmitAsync("/admin/agencies", "/admin/agencies", new() { ["code"] = "SHF", ["name"] = "Sheriff", ["kind"] = "police" }))
        {
            Assert.Equal(HttpStatusCode.Forbidden, refused.StatusCode);
            var body = await refused.Content.ReadAsStringAsync(Ct);
            Assert.Contains(ErrorCodes.OutsideAdministration, body, StringComparison.Ordinal);
            Assert.Contains("value=\"SHF\"", body, StringComparison.Ordinal);
        }

        var entries = await server.AuditEntriesSinceAsync(before);
        Assert.Equal(2, entries.Count); // the form page's own read, then the submission
        var entry = entries[^1];
        PageAudit.AssertEntry(entry, AuditEventType.AgencyAdded, "refused");

        // A blank code is refused next to its field.
        using (var blank = await admin.SubmitAsync("/admin/agencies", "/admin/agencies", new() { ["code"] = "", ["name"] = "Nobody", ["kind"] = "partner" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, blank.StatusCode);
            Assert.Matches("id=\"f-code\"[^>]*aria-invalid=\"true\"", await blank.Content.ReadAsStringAsync(Ct));
        }

        // Without the antiforgery token: PARS-PAGE-001, nothing added.
        using (var forged = await admin.SubmitAsync("/admin/agencies", "/admin/agencies", new() { ["code"] = "XXX", ["name"] = "Forged", ["kind"] = "partner" }, withToken: false))
        {
            Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
            Assert.Contains(PageErrorCodes.AntiforgeryFailed, await forged.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        Assert.Equal(rows, await server.CountRowsAsync());
        await using var db = server.NewContext();
        Assert.False(await db.Agencies.AnyAsync(a => a.Code == "SHF" || a.Code == "XXX" || a.Code == "", Ct));
    }

    [Theory, AllProviders]
    public async Task A_user_is_added_given_roles_and_a_password_and_signs_in_enrolling_their_authenticator(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        using var admin = await PageSignIn.SignedInAsync(server, await PageSignIn.EnrolAsync(server, Roles.RecordsAdmin));

        var (_, list, _) = await admin.GetAsync("/admin/users");
        Assert.Contains("data-agency=\"PPD\"", list, StringComparison.Ordinal);
        Assert.DoesNotContain("data-agency=\"DAO\"", list, StringComparison.Ordinal);

        // Refused roles are shown next to the roles field; nobody is added.
        using (var refused = await admin.SubmitAsync("/admin/users", "/admin/users", new() { ["agency"] = "PPD", ["name"] = "new.officer", ["roles"] = "magistrate" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            Assert.Matches("id=\"f-roles\"[^>]*aria-invalid=\"true\"", await refused.Content.ReadAsStringAsync(Ct));
        }

        long id;
        using (var added = await admin.SubmitAsync("/admin/users", "/admin/users", new() { ["agency"] = "PPD", ["name"] = "new.officer", ["roles"] = "booking-officer" }))
        {
            Assert.Equal(HttpStatusCode.Found, added.StatusCode);
            id = long.Parse(UserPath().Match(added.Headers.Location!.OriginalString).Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture);
        }

        var page = $"/admin/users/{id}";
        using (var roles = await admin.SubmitAsync(page, $"{page}/roles", new() { ["roles"] = "booking-officer" }))
        {
            Assert.Equal(HttpStatusCode.Found, roles.StatusCode);
        }

        // A password too short is refused next to its field and never echoed.
        using (var shortPassword = await admin.SubmitAsync(page, $"{page}/password", new() { ["password"] = "short" }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, shortPassword.StatusCode);
            var body = await shortPassword.Content.ReadAsStringAsync(Ct);
            Assert.Matches("id=\"f-password\"[^>]*aria-invalid=\"true\"", body);
            Assert.DoesNotContain("value=\"short\"", body, StringComparison.Ordinal);
        }

        const string password = "an initial password handed over";
        using (var set = await admin.SubmitAsync(page, $"{page}/password", new() { ["password"] = password }))
        {
            Assert.Equal(HttpStatusCode.Found, set.StatusCode);
        }

        // The new user signs in: the password, then the enrolment of their authenticator, then a code.
        using var user = PageSignIn.Client(server);
        using (var first = await user.SubmitAsync("/sign-in", "/sign-in", new() { ["userName"] = "new.officer", ["password"] = password }))
        {
            Assert.Equal(HttpStatusCode.Found, first.StatusCode);
        }

        var secret = await EnrolmentSecretAsync(user);
        using var code = await user.SubmitAsync("/sign-in/code", "/sign-in/code", new() { ["code"] = SignInUseCases.CodeAt(secret, server.Clock.GetUtcNow()) });
        Assert.Equal(HttpStatusCode.Found, code.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/arrests/new")).Status);
    }

    [Theory, AllProviders]
    public async Task A_second_factor_reset_ends_the_sessions_and_the_user_enrols_again_but_never_ones_own_or_another_agencys(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var adminCredentials = await PageSignIn.EnrolAsync(server, Roles.RecordsAdmin);
        using var admin = await PageSignIn.SignedInAsync(server, adminCredentials);
        var officer = await PageSignIn.EnrolAsync(server, Roles.BookingOfficer);
        using var officerClient = await PageSignIn.SignedInAsync(server, officer);
        var officerId = server.UserIds[Roles.BookingOfficer];

        var before = await server.AuditSizeAsync();
        using (var reset = await admin.SubmitAsync($"/admin/users/{officerId}", $"/admin/users/{officerId}/second-factor", []))
        {
            Assert.Equal(HttpStatusCode.Found, reset.StatusCode);
        }

        var entries = await server.AuditEntriesSinceAsync(before);
        Assert.Equal(2, entries.Count); // the form page's own read, then the submission
        var entry = entries[^1];
        Assert.Equal((int)AuditEventType.SecondFactorReset, entry["type"]!.GetValue<int>());
        Assert.Equal("allowed", entry["outcome"]!.GetValue<string>());

        // The officer's open session is over; the old authenticator no longer signs in, a new one is enrolled.
        var (afterReset, _, _) = await officerClient.GetAsync("/desk");
        Assert.Equal(HttpStatusCode.Found, afterReset);
        using var again = PageSignIn.Client(server);
        (await again.SubmitAsync("/sign-in", "/sign-in", new() { ["userName"] = officer.UserName, ["password"] = officer.Password })).Dispose();
        var secret = await EnrolmentSecretAsync(again);
        Assert.NotEqual(officer.TotpSecret, secret);
        using (var oldCode = await again.SubmitAsync("/sign-in/code", "/sign-in/code", new() { ["code"] = PageSignIn.CodeNow(server, officer) }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, oldCode.StatusCode);
        }

        server.Clock.Advance(TimeSpan.FromSeconds(30));
        using (var newCode = await again.SubmitAsync("/sign-in/code", "/sign-in/code", new() { ["code"] = SignInUseCases.CodeAt(secret, server.Clock.GetUtcNow()) }))
        {
            Assert.Equal(HttpStatusCode.Found, newCode.StatusCode);
        }

        // One's own second factor: the page offers no reset, and a forged post is refused with its code.
        var adminId = server.UserIds[Roles.RecordsAdmin];
        var (_, own, _) = await admin.GetAsync($"/admin/users/{adminId}");
        Assert.DoesNotContain($"action=\"/admin/users/{adminId}/second-factor\"", own, StringComparison.Ordinal);
        await RefusedAsync(server, admin, $"/admin/users/{adminId}", $"/admin/users/{adminId}/second-factor", HttpStatusCode.Forbidden, ErrorCodes.OwnCredentialReset);
        await using (var db = server.NewContext())
        {
            Assert.NotNull(await db.Users.Where(u => u.Id == adminId).Select(u => u.TotpSecretSealed).SingleAsync(Ct));
        }

        // Another stakeholder's user (DAO's) is not the records admin's; an unknown id is not found.
        var daoUser = server.UserIds[Roles.ChargingAttorney];
        await RefusedAsync(server, admin, "/admin/users", $"/admin/users/{daoUser}/second-factor", HttpStatusCode.Forbidden, ErrorCodes.OutsideAdministration);
        await RefusedAsync(server, admin, "/admin/users", $"/admin/users/{daoUser}/password", HttpStatusCode.Forbidden, ErrorCodes.OutsideAdministration, new() { ["password"] = "long enough to pass the rule" });
        await RefusedAsync(server, admin, "/admin/users", "/admin/users/999999/second-factor", HttpStatusCode.NotFound, ErrorCodes.UserNotFound);
        Assert.Equal(HttpStatusCode.NotFound, (await admin.GetAsync($"/admin/users/{daoUser}")).Status);
    }

    [Theory, AllProviders]
    public async Task A_password_reset_ends_the_sessions_and_only_the_new_password_signs_in(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        using var admin = await PageSignIn.SignedInAsync(server, await PageSignIn.EnrolAsync(server, Roles.RecordsAdmin));
        var officer = await PageSignIn.EnrolAsync(server, Roles.BookingOfficer);
        using var officerClient = await PageSignIn.SignedInAsync(server, officer);
        var page = $"/admin/users/{server.UserIds[Roles.BookingOfficer]}";

        const string password = "the password after the reset";
        using (var reset = await admin.SubmitAsync(page, $"{page}/password", new() { ["password"] = password }))
        {
            Assert.Equal(HttpStatusCode.Found, reset.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Found, (await officerClient.GetAsync("/desk")).Status);
        await Assert.ThrowsAsync<InvalidOperationException>(() => PageSignIn.SignedInAsync(server, officer));
        server.Clock.Advance(TimeSpan.FromSeconds(30));
        using var signedIn = await PageSignIn.SignedInAsync(server, officer with { Password = password });
        await using var db = server.NewContext();
        Assert.Equal(1, await db.AuditEntries.CountAsync(e => e.EventType == (int)AuditEventType.PasswordReset && e.Outcome == "allowed", Ct));
    }

    [Theory, AllProviders]
    public async Task Tokens_are_listed_without_secrets_a_service_accounts_token_is_shown_once_and_a_token_is_revoked(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        using var admin = await PageSignIn.SignedInAsync(server, await PageSignIn.EnrolAsync(server, Roles.RecordsAdmin));

        var (status, html, _) = await admin.GetAsync("/admin/tokens");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.DoesNotContain(server.Tokens[Roles.BookingOfficer], html, StringComparison.Ordinal);
        Assert.DoesNotContain(server.Tokens[Roles.ChargingAttorney][..12], html, StringComparison.Ordinal);

        long accountId;
        using (var scope = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.CreateScope(server.Services))
        {
            var identity = Microsoft.Extensions.DependencyInjection.ServiceProviderServiceExtensions.GetRequiredService<IdentityUseCases>(scope.ServiceProvider);
            accountId = (await identity.AddServiceAccountAsync(TestCallerOf(server, Roles.RecordsAdmin), "jail-system", [], Ct)).Id;
        }

        // A person's id is refused (a person obtains their own token); a service account's gets one, shown once.
        await RefusedAsync(server, admin, "/admin/tokens", "/admin/tokens", HttpStatusCode.Forbidden, ErrorCodes.NotAServiceAccount,
            new() { ["serviceAccount"] = server.UserIds[Roles.BookingOfficer].ToString(System.Globalization.CultureInfo.InvariantCulture) });
        string secret;
        using (var created = await admin.SubmitAsync("/admin/tokens", "/admin/tokens", new() { ["serviceAccount"] = accountId.ToString(System.Globalization.CultureInfo.InvariantCulture), ["label"] = "jail" }))
        {
            Assert.Equal(HttpStatusCode.Created, created.StatusCode);
            Assert.True(created.Headers.CacheControl!.NoStore);
            secret = NewToken().Match(await created.Content.ReadAsStringAsync(Ct)).Groups[1].Value;
        }

        using var system = server.Client();
        system.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", secret);
        Assert.Equal(HttpStatusCode.OK, (await system.GetAsync("/api/v1/statutes", Ct)).StatusCode);

        (_, html, _) = await admin.GetAsync("/admin/tokens");
        Assert.DoesNotContain(secret, html, StringComparison.Ordinal);
        long tokenId;
        await using (var db = server.NewContext())
        {
            tokenId = await db.Tokens.Where(t => t.UserId == accountId).Select(t => t.Id).SingleAsync(Ct);
        }

        Assert.Contains($"data-token=\"{tokenId}\"", html, StringComparison.Ordinal);
        using (var revoked = await admin.SubmitAsync("/admin/tokens", $"/admin/tokens/{tokenId}/revoke", []))
        {
            Assert.Equal(HttpStatusCode.Found, revoked.StatusCode);
        }

        Assert.Equal(HttpStatusCode.Unauthorized, (await system.GetAsync("/api/v1/statutes", Ct)).StatusCode);
    }

    [Theory, AllProviders]
    public async Task Every_other_role_gets_the_403_page_on_record_and_sees_no_administration_link(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        foreach (var role in new[] { Roles.BookingOfficer, Roles.AgencyAdmin, Roles.PrivacyOfficer, Roles.PartnerAnalyst })
        {
            using var client = await PageSignIn.SignedInAsync(server, await PageSignIn.EnrolAsync(server, role));
            var (_, desk, _) = await client.GetAsync("/desk");
            Assert.DoesNotContain("/admin/", desk, StringComparison.Ordinal);
            foreach (var page in Pages)
            {
                var before = await server.AuditSizeAsync();
                var (status, html, _) = await client.GetAsync(page);
                Assert.True(status == HttpStatusCode.Forbidden, $"{role} at {page}: {(int)status}");
                Assert.Contains("<main", html, StringComparison.Ordinal);
                var entry = Assert.Single(await server.AuditEntriesSinceAsync(before));
                Assert.Equal("refused", entry["outcome"]!.GetValue<string>());
                Assert.Equal(Channels.Page, entry["channel"]!.GetValue<string>());
            }
        }
    }

    private static async Task RefusedAsync(OpenParsTestServer server, PageClient client, string formPage, string action, HttpStatusCode status, string code, Dictionary<string, string>? fields = null)
    {
        var rows = await server.CountRowsAsync();
        var before = await server.AuditSizeAsync();
        using var response = await client.SubmitAsync(formPage, action, fields ?? []);
        Assert.Equal(status, response.StatusCode);
        Assert.Contains(code, await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        var entries = await server.AuditEntriesSinceAsync(before);
        Assert.Equal(2, entries.Count); // the form page's own read, then the submission
        var entry = entries[^1];
        Assert.Equal("refused", entry["outcome"]!.GetValue<string>());
        Assert.Equal(code, entry["code"]!.GetValue<string>());
        Assert.Equal(rows, await server.CountRowsAsync());
    }

    private static async Task<string> EnrolmentSecretAsync(PageClient client)
    {
        var (status, html, _) = await client.GetAsync("/sign-in/code");
        Assert.Equal(HttpStatusCode.OK, status);
        return EnrolmentKey().Match(html) is { Success: true } m ? m.Groups[1].Value : throw new InvalidOperationException("No enrolment on the code page.");
    }

    private static Caller TestCallerOf(OpenParsTestServer server, string role) =>
        new(server.UserIds[role], role, 0, "PPD", AgencyKind.Police, [role], null, Channels.Http);

    [GeneratedRegex("^/admin/users/([0-9]+)")]
    private static partial Regex UserPath();

    [GeneratedRegex("<code class=\"secret\">([A-Z2-7]+)</code>")]
    private static partial Regex EnrolmentKey();

    [GeneratedRegex("<code id=\"new-token\">([^<]+)</code>")]
    private static partial Regex NewToken();
}
