using System.Net;
using Microsoft.EntityFrameworkCore;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Storage;
using OpenPars.Testing;
using OpenPars.Testing.Web;

namespace OpenPars.Web.Tests.Pages;

/// <summary>Sign-in at the pages on each provider, each test on a server of its own (they move its clock): the
/// password and TOTP steps, lockout at its boundary, the idle and maximum session ends, replayed and recovery codes,
/// CSRF, a partner analyst at a stakeholder page, and the audit of what a page shows.</summary>
public sealed class PageSignInTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task A_password_and_a_code_open_a_session_whose_queue_page_is_audited_as_a_page_read_until_sign_out(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var attorney = await PageSignIn.EnrolAsync(server, Roles.ChargingAttorney);
        var number = await BookAsync(server);
        using var client = await PageSignIn.SignedInAsync(server, attorney);

        var before = await server.AuditSizeAsync();
        var (status, html, response) = await client.GetAsync("/charging");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(number, html, StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", html, StringComparison.Ordinal);
        var entry = Assert.Single(await server.AuditEntriesSinceAsync(before));
        Assert.Equal((int)AuditEventType.ChargingQueueRead, entry["type"]!.GetValue<int>());
        Assert.Equal(Channels.Page, entry["channel"]!.GetValue<string>());
        Assert.Equal("allowed", entry["outcome"]!.GetValue<string>());

        var cookie = client.Cookies.GetCookies(server.BaseAddress)[Web.Security.PageSessionHandler.SessionCookie]!;
        Assert.True(cookie.HttpOnly);
        using var signOut = await client.SubmitAsync("/desk", "/sign-out", []);
        Assert.Equal(HttpStatusCode.Found, signOut.StatusCode);

        // The old cookie no longer signs in, even sent again by hand.
        using var replay = PageSignIn.Client(server);
        replay.Cookies.Add(server.BaseAddress, new Cookie(cookie.Name, cookie.Value));
        var (after, _, afterResponse) = await replay.GetAsync("/charging");
        Assert.Equal(HttpStatusCode.Found, after);
        Assert.StartsWith("/sign-in", afterResponse.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(server, AuditEventType.SignedOut, "allowed"));
    }

    [Theory, AllProviders]
    public async Task Four_wrong_passwords_leave_the_account_open_and_the_fifth_locks_it_even_against_the_right_one(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var officer = await PageSignIn.EnrolAsync(server, Roles.BookingOfficer);
        using var client = PageSignIn.Client(server);

        for (var i = 0; i < Core.Agencies.SignInPolicy.MaxFailures - 1; i++)
        {
            using var wrong = await PasswordAsync(client, officer.UserName, "wrong password " + i);
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains(SignInErrorCodes.WrongPassword, await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        // n−1 failures: the right password still passes (and resets the count once the code is given).
        using (var right = await PasswordAsync(client, officer.UserName, officer.Password))
        {
            Assert.Equal(HttpStatusCode.Found, right.StatusCode);
        }

        using var code = await client.SubmitAsync("/sign-in/code", "/sign-in/code", new() { ["code"] = PageSignIn.CodeNow(server, officer) });
        Assert.Equal(HttpStatusCode.Found, code.StatusCode);

        using var other = PageSignIn.Client(server);
        for (var i = 0; i < Core.Agencies.SignInPolicy.MaxFailures - 1; i++)
        {
            (await PasswordAsync(other, officer.UserName, "wrong again " + i)).Dispose();
        }

        using var fifth = await PasswordAsync(other, officer.UserName, "the fifth wrong one");
        Assert.Equal(HttpStatusCode.Forbidden, fifth.StatusCode);
        Assert.Contains(SignInErrorCodes.LockedOut, await fifth.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        using var locked = await PasswordAsync(other, officer.UserName, officer.Password);
        Assert.Equal(HttpStatusCode.Forbidden, locked.StatusCode);
        Assert.Equal(2, await CountAsync(server, AuditEventType.SignInLockedOut, "refused"));

        // The lockout ends at its boundary.
        server.Clock.Advance(Core.Agencies.SignInPolicy.LockoutDuration - TimeSpan.FromSeconds(1));
        using (var stillLocked = await PasswordAsync(other, officer.UserName, officer.Password))
        {
            Assert.Equal(HttpStatusCode.Forbidden, stillLocked.StatusCode);
        }

        server.Clock.Advance(TimeSpan.FromSeconds(1));
        using var open = await PasswordAsync(other, officer.UserName, officer.Password);
        Assert.Equal(HttpStatusCode.Found, open.StatusCode);
    }

    [Theory, AllProviders]
    public async Task A_session_ends_thirty_minutes_after_its_last_request_and_twelve_hours_after_sign_in(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var attorney = await PageSignIn.EnrolAsync(server, Roles.ChargingAttorney);
        using var client = await PageSignIn.SignedInAsync(server, attorney);

        server.Clock.Advance(Core.Agencies.SignInPolicy.IdleTimeout - TimeSpan.FromSeconds(1));
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/charging")).Status);
        server.Clock.Advance(Core.Agencies.SignInPolicy.IdleTimeout);
        var (idle, _, idleResponse) = await client.GetAsync("/charging");
        Assert.Equal(HttpStatusCode.Found, idle);
        Assert.StartsWith("/sign-in", idleResponse.Headers.Location!.OriginalString, StringComparison.Ordinal);
        Assert.Equal(1, await CountAsync(server, AuditEventType.SessionEnded, "allowed"));

        // Busy all day: a request every 29 minutes keeps it alive until 12 hours after sign-in, not a second longer.
        using var busy = await PageSignIn.SignedInAsync(server, attorney);
        var signedInAt = server.Clock.GetUtcNow();
        while (server.Clock.GetUtcNow() + TimeSpan.FromMinutes(29) < signedInAt + Core.Agencies.SignInPolicy.MaxSession)
        {
            server.Clock.Advance(TimeSpan.FromMinutes(29));
            Assert.Equal(HttpStatusCode.OK, (await busy.GetAsync("/desk")).Status);
        }

        server.Clock.Advance(signedInAt + Core.Agencies.SignInPolicy.MaxSession - server.Clock.GetUtcNow());
        Assert.Equal(HttpStatusCode.Found, (await busy.GetAsync("/desk")).Status);
        Assert.Equal(2, await CountAsync(server, AuditEventType.SessionEnded, "allowed"));
    }

    [Theory, AllProviders]
    public async Task A_wrong_or_replayed_code_is_refused_and_a_recovery_code_works_once(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var magistrate = await PageSignIn.EnrolAsync(server, Roles.Magistrate);

        using var first = PageSignIn.Client(server);
        (await PasswordAsync(first, magistrate.UserName, magistrate.Password)).Dispose();
        var current = PageSignIn.CodeNow(server, magistrate);
        var wrongCode = current == "000000" ? "111111" : "000000";
        using (var wrong = await first.SubmitAsync("/sign-in/code", "/sign-in/code", new() { ["code"] = wrongCode }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
            Assert.Contains(SignInErrorCodes.WrongCode, await wrong.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        using (var right = await first.SubmitAsync("/sign-in/code", "/sign-in/code", new() { ["code"] = current }))
        {
            Assert.Equal(HttpStatusCode.Found, right.StatusCode);
        }

        // The same code again, in the same 30 seconds, from another browser that has the password: a replay.
        using var second = PageSignIn.Client(server);
        (await PasswordAsync(second, magistrate.UserName, magistrate.Password)).Dispose();
        using (var replayed = await second.SubmitAsync("/sign-in/code", "/sign-in/code", new() { ["code"] = current }))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
            Assert.Contains(SignInErrorCodes.CodeReplayed, await replayed.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        }

        var recovery = magistrate.RecoveryCodes[3];
        using (var withRecovery = await second.SubmitAsync("/sign-in/code", "/sign-in/code", new() { ["code"] = recovery.ToUpperInvariant() }))
        {
            Assert.Equal(HttpStatusCode.Found, withRecovery.StatusCode);
        }

        using var third = PageSignIn.Client(server);
        (await PasswordAsync(third, magistrate.UserName, magistrate.Password)).Dispose();
        using var again = await third.SubmitAsync("/sign-in/code", "/sign-in/code", new() { ["code"] = recovery });
        Assert.Equal(HttpStatusCode.Unauthorized, again.StatusCode);
    }

    [Theory, AllProviders]
    public async Task A_form_without_its_antiforgery_token_is_refused_and_changes_nothing(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var attorney = await PageSignIn.EnrolAsync(server, Roles.ChargingAttorney);
        var number = await BookAsync(server);

        using var anonymous = PageSignIn.Client(server);
        using var signIn = await anonymous.SubmitAsync("/sign-in", "/sign-in", new() { ["userName"] = attorney.UserName, ["password"] = attorney.Password }, withToken: false);
        Assert.Equal(HttpStatusCode.BadRequest, signIn.StatusCode);
        Assert.Contains(PageErrorCodes.AntiforgeryFailed, await signIn.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);

        using var client = await PageSignIn.SignedInAsync(server, attorney);
        var before = await server.AuditSizeAsync();
        using var forged = await client.Http.PostAsync($"/charging/{number}/decision", new FormUrlEncodedContent(new Dictionary<string, string> { ["outcome"] = "approve" }), Ct);
        Assert.Equal(HttpStatusCode.BadRequest, forged.StatusCode);
        var entry = Assert.Single(await server.AuditEntriesSinceAsync(before));
        Assert.Equal(PageErrorCodes.AntiforgeryFailed, entry["code"]!.GetValue<string>());
        await using (var db = server.NewContext())
        {
            Assert.Equal("awaiting-charging", (await db.Arrests.SingleAsync(a => a.ArrestNumber == number, Ct)).Status);
        }

        // With its token the same form decides.
        using var decided = await client.SubmitAsync("/charging", $"/charging/{number}/decision", new() { ["outcome"] = "approve" });
        Assert.Equal(HttpStatusCode.Found, decided.StatusCode);
        await using var after = server.NewContext();
        Assert.Equal("charged", (await after.Arrests.SingleAsync(a => a.ArrestNumber == number, Ct)).Status);
    }

    [Theory, AllProviders]
    public async Task A_form_field_holding_a_control_character_is_refused_before_any_use_case_and_changes_nothing(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var attorney = await PageSignIn.EnrolAsync(server, Roles.ChargingAttorney);
        var number = await BookAsync(server);
        using var client = await PageSignIn.SignedInAsync(server, attorney);

        // A NUL in a form was a 500 (ASP.NET's form reader refuses it inside the antiforgery check, which threw); an
        // escape would hide text from whoever reads the record. Both are refused, the value never repeated (the field
        // named where the form could be read: the reader that refuses a NUL does not say where it was).
        foreach (var reason in new[] { "insufficient\0evidence", "see \u001b[2Jnothing" })
        {
            var before = await server.AuditSizeAsync();
            using var refused = await client.SubmitAsync("/charging", $"/charging/{number}/decision", new() { ["outcome"] = "decline", ["reason"] = reason });
            Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
            var html = await refused.Content.ReadAsStringAsync(Ct);
            Assert.Contains("PARS-REQ-006", html, StringComparison.Ordinal);
            Assert.Contains(reason.Contains('\0', StringComparison.Ordinal) ? "a field holds a control character" : "the field reason holds a control character", html, StringComparison.Ordinal);
            Assert.DoesNotContain("evidence", html, StringComparison.Ordinal);
            // The form's page was read first (its entry), then the post is one refusal.
            var entries = await server.AuditEntriesSinceAsync(before);
            Assert.Equal(2, entries.Count);
            Assert.Equal((int)AuditEventType.ChargingQueueRead, entries[0]["type"]!.GetValue<int>());
            var entry = entries[1];
            Assert.Equal("PARS-REQ-006", entry["code"]!.GetValue<string>());
            Assert.Equal("refused", entry["outcome"]!.GetValue<string>());
            Assert.Equal(Channels.Page, entry["channel"]!.GetValue<string>());
        }

        await using (var db = server.NewContext())
        {
            Assert.Equal("awaiting-charging", (await db.Arrests.SingleAsync(a => a.ArrestNumber == number, Ct)).Status);
        }

        // Line breaks in free text are kept: the same reason written on two lines is a decision.
        using var decided = await client.SubmitAsync("/charging", $"/charging/{number}/decision", new() { ["outcome"] = "decline", ["reason"] = "Insufficient evidence.\r\nSee the officer's report." });
        Assert.Equal(HttpStatusCode.Found, decided.StatusCode);
        await using var after = server.NewContext();
        Assert.Equal("declined", (await after.Arrests.SingleAsync(a => a.ArrestNumber == number, Ct)).Status);
    }

    [Theory, AllProviders]
    public async Task A_partner_analyst_signed_in_gets_the_403_page_at_every_stakeholder_page_audited(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var analyst = await PageSignIn.EnrolAsync(server, Roles.PartnerAnalyst);
        using var client = await PageSignIn.SignedInAsync(server, analyst);
        var (desk, deskHtml, _) = await client.GetAsync("/desk");
        Assert.Equal(HttpStatusCode.OK, desk);
        Assert.DoesNotContain("href=\"/charging\"", deskHtml, StringComparison.Ordinal);

        var number = await BookAsync(server);
        foreach (var page in StakeholderPages)
        {
            var before = await server.AuditSizeAsync();
            var (status, html, _) = await client.GetAsync(page.Replace("{n}", number, StringComparison.Ordinal));
            Assert.Equal(HttpStatusCode.Forbidden, status);
            Assert.Contains("PARS-AUTH-002", html, StringComparison.Ordinal);
            var entry = Assert.Single(await server.AuditEntriesSinceAsync(before));
            Assert.Equal("refused", entry["outcome"]!.GetValue<string>());
            Assert.Equal(Channels.Page, entry["channel"]!.GetValue<string>());
        }
    }

    [Theory, AllProviders]
    public async Task The_desk_stream_accepts_the_page_session_cookie(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var server = web.Server;
        var attorney = await PageSignIn.EnrolAsync(server, Roles.ChargingAttorney);
        using var client = await PageSignIn.SignedInAsync(server, attorney);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/streams/charging-queue");
        using var response = await client.Http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);

        // Without the cookie: 401 as for the API, never a redirect.
        using var anonymous = PageSignIn.Client(server);
        using var refused = await anonymous.Http.GetAsync("/api/v1/streams/charging-queue", HttpCompletionOption.ResponseHeadersRead, Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
    }

    /// <summary>Every stakeholder page there is; a page added to the navigation is added here.</summary>
    public static readonly string[] StakeholderPages = ["/charging", "/arrests/new", "/arrests/{n}", "/arraignment", "/arraignment/{n}", "/audit", "/audit/entries/0", "/oversight"];

    private static Task<HttpResponseMessage> PasswordAsync(PageClient client, string user, string password) =>
        client.SubmitAsync("/sign-in", "/sign-in", new() { ["userName"] = user, ["password"] = password });

    private static async Task<string> BookAsync(OpenParsTestServer server) => await new WebServer(server).BookAsync();

    private static async Task<int> CountAsync(OpenParsTestServer server, AuditEventType type, string outcome)
    {
        await using var db = server.NewContext();
        return await db.AuditEntries.CountAsync(e => e.EventType == (int)type && e.Outcome == outcome, Ct);
    }
}
