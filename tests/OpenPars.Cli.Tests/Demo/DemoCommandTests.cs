using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.Cli.Commands;
using OpenPars.Core.Agencies;
using OpenPars.Core.Arrests;
using OpenPars.Core.Common;
using OpenPars.Demo;
using OpenPars.App.Hosting;
using OpenPars.Testing;
using OpenPars.Web.Hosting;
using Spectre.Console;

namespace OpenPars.Cli.Tests.Demo;

/// <summary>The demo's promise: the credentials file it writes works against the API it serves, one token per role.</summary>
public sealed class DemoCommandTests
{
    /// <summary>On PostgreSQL the credentials file lands in the key folder beside the database (the demo command itself
    /// takes a SQLite folder; the seeding and the server it prepares are the same on both).</summary>
    [Theory, AllProviders]
    public async Task The_demo_credentials_file_works_against_the_api(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateEmptyAsync(provider, TestContext.Current.CancellationToken);
        var settings = db.Settings;
        var folder = settings.DataDirectory!;
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(TextWriter.Null), Interactive = InteractionSupport.No });
        await DemoCommand.PrepareAsync(console, settings, ReferenceData.LoadDefault(), arrests: 300, seed: 7, TestContext.Current.CancellationToken);
        var file = Path.Combine(folder, DemoCommand.CredentialsFileName);
        var credentials = JsonSerializer.Deserialize<List<DemoCredential>>(await File.ReadAllTextAsync(file), OpenParsJson.Options)!;
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }

        foreach (var role in Roles.All)
        {
            Assert.Contains(credentials, c => c.Roles.Contains(role));
        }

        await using var app = OpenParsHost.Build(new OpenParsHostOptions { Storage = settings, ListenOnLoopbackPort0 = true });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        using var http = new HttpClient { BaseAddress = new Uri(address) };

        foreach (var credential in credentials)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/arrests?limit=5");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", credential.Token);
            using var response = await http.SendAsync(request, TestContext.Current.CancellationToken);
            // Partner analysts and agency admins (who administer accounts, not records) read no arrests directly.
            var expected = credential.Roles.Any(r => r is Roles.PartnerAnalyst or Roles.AgencyAdmin) ? HttpStatusCode.Forbidden : HttpStatusCode.OK;
            Assert.True(expected == response.StatusCode, $"{credential.User}: {(int)response.StatusCode}");
        }

        // Running the demo again reuses the folder: the same credentials, no second seeding.
        await app.StopAsync(TestContext.Current.CancellationToken);
        var again = await DemoCommand.PrepareAsync(console, settings, ReferenceData.LoadDefault(), arrests: 300, seed: 7, TestContext.Current.CancellationToken);
        Assert.Equal(credentials.Select(c => c.Token), again.Select(c => c.Token));
        await using var context = db.NewContext();
        Assert.Equal(300, await context.Arrests.CountAsync(TestContext.Current.CancellationToken));
    }
}
