using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using OpenPars.Core.Agencies;
using OpenPars.Storage.Audit;
using OpenPars.Testing.Web;

namespace OpenPars.Browser.Tests;

/// <summary>A role signed in in a fresh browser context, as a person does it: the page asked for, the sign-in form,
/// password, then the current TOTP code, and back at the page.</summary>
internal static class BrowserSignIn
{
    /// <summary>Enrols <paramref name="role"/>, opens <paramref name="path"/>, signs in; console errors go to <paramref name="errors"/>.</summary>
    public static async Task<IPage> SignedInAsync(ChromiumFixture chromium, OpenParsTestServer server, string role, string path, List<string> errors) =>
        await chromium.SignedInAsync(server, await PageSignIn.EnrolAsync(server, role), path, errors);

    /// <summary>An active ICE agreement, a booking of <paramref name="lastName"/> and the partner analyst's search for
    /// it over the API (a partner's earlier look), then a checkpoint signed over the log (the writer's ten-second timer).</summary>
    public static async Task PartnerLookAsync(OpenParsTestServer server, string lastName, string firstName, CancellationToken ct)
    {
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        await new WebServerClient(server).BookAsync(lastName, firstName);
        using (var partner = server.Client(Roles.PartnerAnalyst))
        using (var search = await partner.SendAsync(TestAgreementDocuments.PartnerGet($"/api/v1/partner/arrests?lastName={lastName}&dateOfBirth=1990-04-01"), ct))
        {
            search.EnsureSuccessStatusCode();
        }

        await using var db = server.NewContext();
        await server.Services.GetRequiredService<AuditLog>().CheckpointIfBehindAsync(db, ct);
    }
}
