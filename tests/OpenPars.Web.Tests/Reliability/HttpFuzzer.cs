using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using CsCheck;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agencies;
using OpenPars.Core.Common;
using OpenPars.Testing.Web;
using OpenPars.Web.Tests.Security;

namespace OpenPars.Web.Tests.Reliability;

/// <summary>What a fuzz run did: requests sent, answers by status, and every broken invariant with its case.</summary>
public sealed class FuzzReport
{
    public int Requests { get; set; }

    /// <summary>Requests Kestrel refused before the application saw them (see <see cref="HttpFuzzer.ProtocolRefusal"/>).</summary>
    public int ProtocolRefusals { get; set; }
    public SortedDictionary<int, int> ByStatus { get; } = [];
    public SortedDictionary<string, int> ByOperation { get; } = new(StringComparer.Ordinal);
    public List<string> Failures { get; } = [];
    public TimeSpan Elapsed { get; set; }

    /// <summary>One line per status and the failures, for the test output and the long run's report.</summary>
    public string Summary(string provider, string seed) =>
        $"{provider}: {Requests} requests in {Elapsed.TotalSeconds:F0} s (seed {seed}); statuses {string.Join(", ", ByStatus.Select(s => $"{s.Key}×{s.Value}"))}; "
        + $"{ProtocolRefusals} refused by Kestrel before the application; {ByOperation.Count} operations; {Failures.Count} invariant failures";
}

/// <summary>
/// Sends generated requests (<see cref="FuzzCases"/>) one after another to a real server and checks on every answer:
/// no 5xx; a 4xx is <c>application/problem+json</c> with a catalogued code and its status; a refused request changed no
/// row (<see cref="RowChangeLog"/>: no table but the audit log's own was written); exactly the audit entries the endpoint's promise
/// says (one per request, none for the public endpoints); no sensitive value — seeded or sent — in an error body.
/// </summary>
public sealed class HttpFuzzer(WebServer web, FuzzCases cases, FuzzTargets targets)
{
    /// <summary>Runs <paramref name="requests"/> cases from <paramref name="seed"/> (a number: the CsCheck PCG of stream 1 from it), stopping early at <paramref name="timeBox"/>.</summary>
    public async Task<FuzzReport> RunAsync(string seed, int requests, TimeSpan timeBox, int maxFailures, CancellationToken ct)
    {
        var report = new FuzzReport();
        var pcg = new PCG(1, ulong.Parse(seed, CultureInfo.InvariantCulture));
        var gen = cases.All;
        var clock = Stopwatch.StartNew();
        var clients = new Dictionary<string, HttpClient>();
        var changes = new RowChangeLog(web.Server);
        await changes.InstallAsync(ct);
        try
        {
            for (var i = 0; i < requests && clock.Elapsed < timeBox && report.Failures.Count < maxFailures; i++)
            {
                var @case = gen.Generate(pcg, null, out _);

                // The events an earlier allowed write appended are handled by the server's consumers in the
                // background; they finish first, so what changes now is this request's doing.
                await web.Server.ConsumersCaughtUpAsync(ct);
                var before = await changes.PositionAsync(ct);
                var audit = await web.Server.AuditSizeAsync();
                var (status, contentType, body, error) = await SendAsync(@case, clients, ct);
                if (@case.Operation.Streams)
                {
                    await web.Server.StreamsClosedAsync();
                }

                var changed = await changes.ChangedSinceAsync(before, ct);
                var added = await web.Server.AuditSizeAsync() - audit;
                var deliveries = @case.Operation.Streams && status < 300 && added > 1 ? await DeliveriesAsync(audit) : 0;
                report.Requests++;
                report.ByStatus[status] = report.ByStatus.GetValueOrDefault(status) + 1;
                if (ProtocolRefusal(status, contentType, body, added))
                {
                    report.ProtocolRefusals++;
                }

                report.ByOperation[@case.Operation.ToString()] = report.ByOperation.GetValueOrDefault(@case.Operation.ToString()) + 1;

                foreach (var broken in Check(@case, status, contentType, body, error, changed, added - deliveries))
                {
                    report.Failures.Add($"#{i} {broken}\n    {@case}\n    answer {status} {contentType}: {Truncate(body, 600)}");
                }
            }
        }
        finally
        {
            foreach (var client in clients.Values)
            {
                client.Dispose();
            }
        }

        report.Elapsed = clock.Elapsed;
        return report;
    }

    private IEnumerable<string> Check(FuzzCase @case, int status, string? contentType, string body, string? error, string changed, long added)
    {
        if (error is not null)
        {
            yield return $"no answer: {error}";
            yield break;
        }

        if (ProtocolRefusal(status, contentType, body, added))
        {
            // Kestrel refused the request line itself (a NUL in the decoded path, a line over 8 KiB, headers too large)
            // before any application code ran: an empty answer, and nothing to record or change.
            if (changed.Length > 0)
            {
                yield return $"a request Kestrel refused changed rows ({changed})";
            }

            yield break;
        }

        if (status >= 500)
        {
            yield return $"server error {status}";
        }

        if (status >= 400)
        {
            if (contentType != "application/problem+json")
            {
                yield return $"a {status} answered as {contentType ?? "(no content type)"}";
            }
            else if (Problem(body) is not { } problem)
            {
                yield return "problem body is not a JSON object";
            }
            else if (problem["code"]?.GetValue<string>() is not { } code || !ErrorCatalogue.IsCatalogued(code))
            {
                yield return $"problem code {problem["code"]?.ToJsonString() ?? "(none)"} is not in the catalogue";
            }
            else if (ErrorCatalogue.StatusFor(code) != status || problem["status"]?.GetValue<int>() != status)
            {
                yield return $"{code} answered {status}, the catalogue says {ErrorCatalogue.StatusFor(code)}";
            }
            else if (Echoed(problem, targets.SeededSensitive.Concat(@case.SensitiveSent)) is { } echoed)
            {
                yield return $"the error echoes the sensitive value {JsonSerializer.Serialize(echoed)}";
            }

            if (changed.Length > 0)
            {
                yield return $"a refused request changed rows ({changed})";
            }
        }

        var expected = ExpectedAuditEntries(@case.Operation, status);
        if (added != expected)
        {
            yield return $"{added} audit entries for one request (expected {expected})";
        }
    }

    /// <summary>A stream opened with a Last-Event-ID replays the events after it, and each batch it sends is audited
    /// before it is sent (<c>feeds.delivered</c>, issue 11): those entries are the stream's promise too. Counts the
    /// entries after the opening one that are allowed deliveries on the opening's path; anything else the request
    /// added stays counted, so a second opening or a stray write is still caught.</summary>
    private async Task<long> DeliveriesAsync(long auditSizeBefore)
    {
        var entries = await web.Server.AuditEntriesSinceAsync(auditSizeBefore);
        var path = entries[0]["path"]?.GetValue<string>();
        return entries.Skip(1).Count(e => e["event"]?.GetValue<string>() == "feeds.delivered"
            && e["outcome"]?.GetValue<string>() == "allowed"
            && e["path"]?.GetValue<string>() == path);
    }

    /// <summary>A refusal Kestrel makes before the application (and so before authentication, audit and problem
    /// answers): 400 for a request line it cannot accept, 414 for one too long, 431 for headers too large — always
    /// with an empty body, never a new audit entry.</summary>
    public static bool ProtocolRefusal(int status, string? contentType, string body, long auditAdded) =>
        status is 400 or 414 or 431 && contentType is null && body.Length == 0 && auditAdded == 0;

    /// <summary>What the endpoint promises the log (Security/EndpointPromises): nothing for the public endpoints, a
    /// refusal only for reference lists, one entry for every read and write; an unknown route is one refusal.</summary>
    private static long ExpectedAuditEntries(FuzzOperation operation, int status)
    {
        var promise = EndpointPromises.All.SingleOrDefault(p => p.Endpoint == operation.PromiseKey);
        return promise?.Recorded switch
        {
            Recorded.Nothing => 0,
            Recorded.RefusalsOnly => status >= 400 ? 1 : 0,
            _ => 1,
        };
    }

    private static JsonObject? Problem(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The first sensitive value found in any string of the problem (decoded, so escaping hides nothing).</summary>
    private static string? Echoed(JsonNode problem, IEnumerable<string> sensitive)
    {
        var strings = Strings(problem).Select(s => RuleExample.Replace(s.Normalize(NormalizationForm.FormC), "")).ToList();
        return sensitive.Select(s => s.Trim()).Where(s => s.Length >= 4 && !FixedText.Contains(s, StringComparison.OrdinalIgnoreCase))
            .FirstOrDefault(s => strings.Any(t => t.Contains(s, StringComparison.OrdinalIgnoreCase)));
    }

    /// <summary>A rule's example of a valid value ("must be an RFC 3339 instant, e.g. 2026-11-23T08:00:00-05:00"): the
    /// server's own text, so a sent value that happens to be part of it ("2026-11-23" as a first name) is not an echo.
    /// Only the one word after the phrase is dropped; a sent value elsewhere in the message is still found.</summary>
    private static readonly Regex RuleExample = new(@"(?:e\.g\.|such as) \S+", RegexOptions.CultureInvariant);

    /// <summary>The server's own words (titles, meanings, the framework refusals' details): a sent value that is one
    /// of them ("Bearer" as a last name) is found in an answer without having been echoed.</summary>
    private static readonly string FixedText = string.Join("\n", ErrorCatalogue.All.SelectMany(e => new[] { e.Title, e.Description }))
        + "\nSend a valid, unrevoked, unexpired token as `Authorization: Bearer <token>`.\nYour roles do not allow this request.\nThere is no such resource.\nSend the body as application/json.";

    private static IEnumerable<string> Strings(JsonNode? node) => node switch
    {
        JsonObject o => o.SelectMany(p => Strings(p.Value).Append(p.Key)),
        JsonArray a => a.SelectMany(Strings),
        JsonValue v when v.TryGetValue<string>(out var s) => [s],
        _ => [],
    };

    private async Task<(int Status, string? ContentType, string Body, string? Error)> SendAsync(FuzzCase @case, Dictionary<string, HttpClient> clients, CancellationToken ct)
    {
        if (!clients.TryGetValue(@case.Caller, out var client))
        {
            client = web.Server.Client();
            clients[@case.Caller] = client;
        }

        using var request = new HttpRequestMessage(new HttpMethod(@case.Operation.Method), new Uri(@case.PathAndQuery, UriKind.Relative));
        if (Authorization(@case) is { } authorization)
        {
            request.Headers.TryAddWithoutValidation("Authorization", authorization);
        }

        foreach (var (name, value) in @case.Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (@case.Body is not null)
        {
            request.Content = new ByteArrayContent(@case.Body);
            if (@case.ContentType is not null)
            {
                request.Content.Headers.TryAddWithoutValidation("Content-Type", @case.ContentType);
            }
        }

        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            using var response = await client.SendAsync(request, @case.Operation.Streams ? HttpCompletionOption.ResponseHeadersRead : HttpCompletionOption.ResponseContentRead, timeout.Token);
            var status = (int)response.StatusCode;
            var body = @case.Operation.Streams && status < 300 ? "" : await response.Content.ReadAsStringAsync(timeout.Token);
            return (status, response.Content.Headers.ContentType?.MediaType, body, null);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return (0, null, "", $"{e.GetType().Name}: {e.Message}");
        }
    }

    private string? Authorization(FuzzCase @case)
    {
        var token = web.Server.Tokens.GetValueOrDefault(@case.Caller);
        return @case.Auth switch
        {
            FuzzAuth.Plain => token is null ? null : "Bearer " + token,
            FuzzAuth.Forged => "Bearer opk_" + new string('A', 43),
            FuzzAuth.Basic => "Basic dXNlcjpwYXNz",
            FuzzAuth.EmptyBearer => "Bearer ",
            FuzzAuth.TrailingJunk => "Bearer " + (token ?? "opk_") + " junk",
            FuzzAuth.OneCharOff => "Bearer " + (token is { Length: > 5 } ? token[..^1] + (token[^1] == 'A' ? 'B' : 'A') : "opk_x"),
            _ => null,
        };
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + "…";

    /// <summary>Arranges what requests can name: arrests (one charged, one arraigned), the ICE agreement in force,
    /// a proposed agreement, a spare user and token; returns them with the callers (every role, anonymous, revoked, expired).</summary>
    public static async Task<FuzzTargets> ArrangeAsync(WebServer web)
    {
        var booked = await web.BookAsync(SampleBookings.Valid("Zyxwarden", "Quillon"));
        var charged = await web.BookAndChargeAsync();
        var arraigned = await web.BookAndChargeAsync();
        using (var magistrate = web.Server.Client(Roles.Magistrate))
        using (var response = await magistrate.PostJsonAsync($"/api/v1/arrests/{arraigned}/arraignment", SampleBookings.ValidArraignment()))
        {
            Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        }

        var ice = await web.EnsureIceAgreementAsync();
        var proposed = await web.AgreementAsync(ArrangedState.Proposed);
        var token = await web.NewTokenIdAsync();
        var serviceAccount = await web.PoliceServiceAccountAsync();
        string[] callers = [TestCallers.Anonymous, TestCallers.Revoked, TestCallers.Expired, .. Roles.All];
        string[] seeded = ["Okafor", "Chidi", "Zyxwarden", "Quillon", "1991-05-17", "219-09-9999", "Ann Victim", "215-555-0100", "1412 N 5th St", "28519463", "1078844"];
        return new FuzzTargets(
            [booked, charged, arraigned, "26-9999999", "26-0000000"],
            [token.ToString(CultureInfo.InvariantCulture), serviceAccount.ToString(CultureInfo.InvariantCulture), "999999", "0", "-1", "2147483648", "9223372036854775807"],
            [ice, proposed, "agr-none"],
            callers,
            seeded);
    }
}
