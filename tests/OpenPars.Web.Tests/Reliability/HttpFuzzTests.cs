using System.Globalization;
using OpenPars.App.Hosting;
using OpenPars.Testing;

namespace OpenPars.Web.Tests.Reliability;

/// <summary>
/// The property-based HTTP fuzzer over every operation of the served OpenAPI document, every caller, on both
/// providers (see <see cref="HttpFuzzer"/> for the invariants). <c>./test</c> runs a seeded, time-boxed share:
/// 1,000 requests per provider, at most 3 minutes each. The long run is the same test with
/// <c>OPENPARS_FUZZ_REQUESTS</c> (and <c>OPENPARS_FUZZ_MINUTES</c>) set, which <c>bench/run fuzz --requests N</c> does;
/// <c>OPENPARS_FUZZ_SEED</c> replays a run (the seed is printed with every failure); <c>OPENPARS_FUZZ_REPORT</c> names
/// a file the summary is appended to; <c>OPENPARS_FUZZ_PROVIDER</c> (<c>Sqlite</c> or <c>Postgres</c>) runs one
/// provider's half only, so the long run's two halves can run in two processes side by side (the other half is
/// reported skipped, never passed).
/// </summary>
public sealed class HttpFuzzTests(WebServerFixture fixture) : IClassFixture<WebServerFixture>
{
    /// <summary>The seed of <c>./test</c>'s run, so that it is the same run every time.</summary>
    public const string DefaultSeed = "20261202";

    [Theory, AllProviders]
    public async Task Generated_requests_keep_every_invariant(StorageProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        var requests = Environment.GetEnvironmentVariable("OPENPARS_FUZZ_REQUESTS") is { Length: > 0 } r ? int.Parse(r, CultureInfo.InvariantCulture) : 1_000;
        var minutes = Environment.GetEnvironmentVariable("OPENPARS_FUZZ_MINUTES") is { Length: > 0 } m ? double.Parse(m, CultureInfo.InvariantCulture) : 3;
        var seed = Environment.GetEnvironmentVariable("OPENPARS_FUZZ_SEED") is { Length: > 0 } s ? s : DefaultSeed;
        if (Environment.GetEnvironmentVariable("OPENPARS_FUZZ_PROVIDER") is { Length: > 0 } only && !string.Equals(only, provider.ToString(), StringComparison.OrdinalIgnoreCase))
        {
            Assert.Skip($"OPENPARS_FUZZ_PROVIDER={only}: this process runs that provider's half of the long run only.");
        }

        var web = await fixture.ForAsync(provider);
        var targets = await HttpFuzzer.ArrangeAsync(web);
        using var anonymous = web.Server.Client();
        var document = await FuzzDocument.ReadAsync(anonymous);
        Assert.True(document.Operations.Count >= 40, $"the served document lists {document.Operations.Count} API operations");

        var fuzzer = new HttpFuzzer(web, new FuzzCases(document, targets), targets);
        var report = await fuzzer.RunAsync(seed, requests, TimeSpan.FromMinutes(minutes), maxFailures: 25, ct);
        var summary = report.Summary(provider.ToString(), seed);
        TestContext.Current.TestOutputHelper?.WriteLine(summary);
        if (Environment.GetEnvironmentVariable("OPENPARS_FUZZ_REPORT") is { Length: > 0 } file)
        {
            await File.AppendAllTextAsync(file, summary + Environment.NewLine + string.Concat(report.Failures.Select(f => f + Environment.NewLine)), ct);
        }

        Assert.True(report.Failures.Count == 0, $"{summary}; replay with OPENPARS_FUZZ_SEED={seed}\n{string.Join("\n", report.Failures)}");
        Assert.True(report.Requests >= Math.Min(requests, 200), $"only {report.Requests} requests in the time box: {summary}");
    }
}
