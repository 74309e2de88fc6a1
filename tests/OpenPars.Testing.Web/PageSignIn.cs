using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.App.Identity;
using OpenPars.Core.Agencies;

namespace OpenPars.Testing.Web;

/// <summary>A test user's page credentials: the name, the password, the TOTP secret and its recovery codes.</summary>
/// <param name="UserName">The user's name (the test caller's name).</param>
/// <param name="Password">The password set for them.</param>
/// <param name="TotpSecret">The enrolled TOTP secret (base32).</param>
/// <param name="RecoveryCodes">The recovery codes issued with it.</param>
public sealed record PageCredentials(string UserName, string Password, string TotpSecret, IReadOnlyList<string> RecoveryCodes);

/// <summary>Gives test callers a password and a second factor (as the operator does at the terminal), and a cookie
/// client that reads forms as a browser without script would: it keeps cookies and sends the page's antiforgery token.</summary>
public static partial class PageSignIn
{
    /// <summary>The password every enrolled test user gets.</summary>
    public const string Password = "correct horse battery staple";

    /// <summary>Sets <paramref name="caller"/>'s password and enrols a TOTP secret, through the same use cases as the CLI.</summary>
    public static Task<PageCredentials> EnrolAsync(OpenParsTestServer server, string caller) => EnrolAsync(server, caller, server.UserIds[caller]);

    /// <summary>A new user of <paramref name="agency"/> with <paramref name="roles"/>, enrolled for the pages (a second
    /// representative of another agency, say, whom the test callers do not include).</summary>
    public static async Task<PageCredentials> NewUserAsync(OpenParsTestServer server, string agency, params string[] roles)
    {
        var name = $"{agency.ToLowerInvariant()}.page.{Guid.NewGuid().ToString("N")[..6]}";
        long userId;
        await using (var db = server.NewContext())
        {
            userId = (await new OpenPars.Storage.Agencies.IdentityStore(db, server.Clock, OpenPars.Testing.TestAudit.Trail(server.Storage, server.Clock)).AddUserAsync(agency, name, roles)).Id;
        }

        return await EnrolAsync(server, name, userId);
    }

    private static async Task<PageCredentials> EnrolAsync(OpenParsTestServer server, string caller, long userId)
    {
        var operatorCaller = Caller.Operator("test");
        using (var scope = server.Services.CreateScope())
        {
            await scope.ServiceProvider.GetRequiredService<SignInUseCases>().SetPasswordAsync(operatorCaller, userId, Password);
        }

        using var enrolScope = server.Services.CreateScope();
        var enrolment = await enrolScope.ServiceProvider.GetRequiredService<SignInUseCases>().EnrolAsync(operatorCaller, userId);
        return new PageCredentials(caller, Password, enrolment.Secret, enrolment.RecoveryCodes);
    }

    /// <summary>The TOTP code of <paramref name="credentials"/> at the server's clock.</summary>
    public static string CodeNow(OpenParsTestServer server, PageCredentials credentials) =>
        SignInUseCases.CodeAt(credentials.TotpSecret, server.Clock.GetUtcNow());

    /// <summary>A client with a cookie jar that follows no redirect.</summary>
    public static PageClient Client(OpenParsTestServer server) => new(server.BaseAddress);

    /// <summary>Signs <paramref name="credentials"/> in with the password and the current code; the client then holds the session.</summary>
    public static async Task<PageClient> SignedInAsync(OpenParsTestServer server, PageCredentials credentials)
    {
        var client = Client(server);
        using var password = await client.SubmitAsync("/sign-in", "/sign-in", new() { ["userName"] = credentials.UserName, ["password"] = credentials.Password });
        if (password.StatusCode != HttpStatusCode.Found)
        {
            throw new InvalidOperationException($"The password step answered {(int)password.StatusCode}.");
        }

        using var code = await client.SubmitAsync("/sign-in/code", "/sign-in/code", new() { ["code"] = CodeNow(server, credentials) });
        if (code.StatusCode != HttpStatusCode.Found)
        {
            throw new InvalidOperationException($"The code step answered {(int)code.StatusCode}.");
        }

        return client;
    }

    /// <summary>The antiforgery token in a page's form.</summary>
    public static string? AntiforgeryToken(string html) => TokenField().Match(html) is { Success: true } m ? WebUtility.HtmlDecode(m.Groups[1].Value) : null;

    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    private static partial Regex TokenField();
}

/// <summary>A browser without script: cookies kept, redirects not followed (tests read them).</summary>
public sealed class PageClient : IDisposable
{
    /// <summary>A client of <paramref name="baseAddress"/>.</summary>
    public PageClient(Uri baseAddress) =>
        Http = new HttpClient(new SocketsHttpHandler { CookieContainer = Cookies, AllowAutoRedirect = false, MaxResponseDrainSize = 0 }) { BaseAddress = baseAddress };

    /// <summary>The cookie jar.</summary>
    public CookieContainer Cookies { get; } = new();

    /// <summary>The HTTP client.</summary>
    public HttpClient Http { get; }

    /// <summary>GETs a page and returns its status and HTML.</summary>
    public async Task<(HttpStatusCode Status, string Html, HttpResponseMessage Response)> GetAsync(string path)
    {
        var response = await Http.GetAsync(path);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(), response);
    }

    /// <summary>Loads <paramref name="formPage"/>, then posts <paramref name="fields"/> to <paramref name="action"/> with the
    /// page's antiforgery token (left out when <paramref name="withToken"/> is false).</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string formPage, string action, Dictionary<string, string> fields, bool withToken = true)
    {
        var (_, html, _) = await GetAsync(formPage);
        if (withToken)
        {
            fields["__RequestVerificationToken"] = PageSignIn.AntiforgeryToken(html) ?? throw new InvalidOperationException($"{formPage} has no antiforgery token.");
        }

        return await Http.PostAsync(action, new FormUrlEncodedContent(fields));
    }

    /// <inheritdoc/>
    public void Dispose() => Http.Dispose();
}
