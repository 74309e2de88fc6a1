using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using OpenPars.App.Hosting;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using Shouldly;

namespace OpenPars.Cli.Tests.Feeds;

/// <summary>
/// Two real <c>openpars serve</c> processes on one store, each running its webhook worker, and one receiver (Kestrel,
/// signatures verified with the StandardWebhooks package). Bookings made through both are each delivered once — no
/// attempt is ever in flight twice at once (the claim's lease), and both processes' senders take part (each wakes on
/// its own commits first); a process killed while its attempt is in flight leaves the delivery to the other, which
/// sends it, same <c>webhook-id</c>, once the lease has run out. Which process sent a request is read from the
/// operating system: the receiver sees the sender's port, and the process holding that socket is the sender.
/// </summary>
public sealed class TwoProcessWebhookTests
{
    private const int Bookings = 20;

    /// <summary>The attempt's lease: the attempt timeout (10 s) and 30 s (<c>WebhookWorker.LeaseSpan</c>).</summary>
    private static readonly TimeSpan Lease = TimeSpan.FromSeconds(40);

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task Bookings_through_both_processes_are_each_delivered_once_by_both_workers(StorageProvider provider)
    {
        await using var receiver = await WebhookReceiver.StartAsync();
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var (store, officer, admin) = await ArrangeAsync(db);
        using var a = await ServeProcess.StartAsync(store, Loopback);
        using var b = await ServeProcess.StartAsync(store, Loopback);
        var senders = new System.Collections.Concurrent.ConcurrentBag<int>();
        receiver.BeforeAnswer = r =>
        {
            // Read while the request's connection is open: the sender holds its socket.
            senders.Add(SenderOf(r.SenderPort, a, b));
            return Task.Delay(50, Ct);
        };
        var endpoint = await RegisterAsync(a, admin, receiver);

        var numbers = new List<string>();
        for (var i = 0; i < Bookings; i++)
        {
            numbers.Add(await BookAsync(i % 2 == 0 ? a : b, officer, $"Twohooks{(char)('a' + i)}"));
        }

        await EventuallyAsync(() => receiver.Received.Count >= Bookings ? receiver.Received.ToList() : null, TimeSpan.FromSeconds(60));
        await Task.Delay(1000, Ct);
        var got = receiver.Received.ToList();

        got.ShouldAllBe(r => r.Verified);
        got.Select(r => JsonNode.Parse(r.Body)!["arrestNumber"]!.GetValue<string>()).Order().ShouldBe(numbers.Order());
        got.Select(r => r.Id).Distinct().Count().ShouldBe(Bookings, "each webhook-id delivered once: no attempt sent twice, none retried");
        receiver.MostInFlightForOneId.ShouldBe(1);
        senders.ShouldContain(a.Process.Id, $"process A sent none of {Bookings}");
        senders.ShouldContain(b.Process.Id, $"process B sent none of {Bookings}");

        // Both processes' records agree: every delivery delivered in one attempt.
        var deliveries = await DeliveriesAsync(b, admin, endpoint);
        deliveries.Count.ShouldBe(Bookings);
        deliveries.ShouldAllBe(d => d!["state"]!.GetValue<string>() == "delivered" && d["attempts"]!.GetValue<int>() == 1);
    }

    /// <summary>The kill mid-attempt, a class of its own (it waits out a 40-second lease per provider) so that xunit runs
    /// it beside the rest of the project rather than after it.</summary>
    public sealed class AfterTheLease
    {
        [Theory, AllProviders]
        public async Task A_process_killed_mid_attempt_leaves_the_delivery_to_the_other_after_the_lease(StorageProvider provider)
        {
            await using var receiver = await WebhookReceiver.StartAsync();
            var held = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var first = new TaskCompletionSource<ReceivedWebhook>(TaskCreationOptions.RunContinuationsAsynchronously);
            receiver.BeforeAnswer = r => first.TrySetResult(r) ? held.Task : Task.CompletedTask;
            await using var db = await TestDatabase.CreateAsync(provider, Ct);
            var (store, officer, admin) = await ArrangeAsync(db);
            var a = await ServeProcess.StartAsync(store, Loopback);
            using var b = await ServeProcess.StartAsync(store, Loopback);
            try
            {
                var endpoint = await RegisterAsync(a, admin, receiver);
                var number = await BookAsync(a, officer, "Killedmid");

                // The first attempt is held open by the receiver; the process that sent it is killed (SIGKILL) mid-attempt.
                var attempt = await first.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);
                var sender = SenderOf(attempt.SenderPort, a, b);
                var (killed, survivor) = sender == a.Process.Id ? (a, b) : (b, a);
                var killedAt = Stopwatch.StartNew();
                killed.Process.Kill(entireProcessTree: true);
                await killed.Process.WaitForExitAsync(Ct);

                var again = await EventuallyAsync(() => receiver.Received.Skip(1).FirstOrDefault(), Lease + TimeSpan.FromSeconds(40));
                again.Id.ShouldBe(attempt.Id);
                again.Verified.ShouldBeTrue();
                JsonNode.Parse(again.Body)!["arrestNumber"]!.GetValue<string>().ShouldBe(number);
                SenderOf(again.SenderPort, survivor).ShouldBe(survivor.Process.Id);

                // Not taken over before the lease ran out: the claim's lease, not a guess, decides who may send.
                killedAt.Elapsed.ShouldBeGreaterThan(Lease - TimeSpan.FromSeconds(12));
                var deliveries = await EventuallyAsync(async () =>
                {
                    var list = await DeliveriesAsync(survivor, admin, endpoint);
                    return list.Count == 1 && list[0]!["state"]!.GetValue<string>() == "delivered" ? list : null;
                }, TimeSpan.FromSeconds(20));
                deliveries[0]!["id"]!.GetValue<string>().ShouldBe(attempt.Id);
                await Task.Delay(1000, Ct);
                receiver.Received.Count.ShouldBe(2);
            }
            finally
            {
                held.TrySetResult();
                a.Dispose();
            }
        }
    }

    /// <summary>The webhook address policy of both processes: the police's endpoints may reach the loopback receiver.</summary>
    private static readonly Dictionary<string, string> Loopback = new()
    {
        ["OPENPARS_WEBHOOK_ALLOWED_HOSTS"] = "PPD=127.0.0.1",
        ["OPENPARS_WEBHOOK_HTTP_HOSTS"] = "127.0.0.1",
        ["OPENPARS_WEBHOOK_ALLOW_LOOPBACK"] = "true",
    };

    private static async Task<(string[] Store, string Officer, string Admin)> ArrangeAsync(TestDatabase db)
    {
        await CliArrange.AgenciesAsync(db);
        var (_, officer) = await CliArrange.UserAsync(db, "PPD", "ppd.booking", "booking-officer");
        var (_, admin) = await CliArrange.UserAsync(db, "PPD", "ppd.records", "records-admin");
        return (CliRunner.StorageArgs(db.Settings), officer, admin);
    }

    private static HttpClient Client(ServeProcess server, string token)
    {
        var client = new HttpClient { BaseAddress = server.Address, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<string> RegisterAsync(ServeProcess server, string admin, WebhookReceiver receiver)
    {
        using var client = Client(server, admin);
        var body = new JsonObject { ["url"] = receiver.Url, ["eventKinds"] = new JsonArray("arrest-booked") }.ToJsonString();
        using var response = await client.PostAsync("/api/v1/webhooks", new StringContent(body, Encoding.UTF8, "application/json"), Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        response.StatusCode.ShouldBe(HttpStatusCode.Created, text + "\n" + server.Output);
        var registered = JsonNode.Parse(text)!;
        receiver.Secret = registered["secret"]!.GetValue<string>();
        return registered["endpoint"]!["id"]!.GetValue<string>();
    }

    private static async Task<string> BookAsync(ServeProcess server, string officer, string lastName)
    {
        using var client = Client(server, officer);
        using var booked = await client.PostAsync("/api/v1/arrests", new StringContent(ServeProcess.Booking(lastName), Encoding.UTF8, "application/json"), Ct);
        booked.StatusCode.ShouldBe(HttpStatusCode.Created, server.Output);
        return booked.Headers.Location!.ToString().Split('/')[^1];
    }

    private static async Task<JsonArray> DeliveriesAsync(ServeProcess server, string admin, string endpoint)
    {
        using var client = Client(server, admin);
        return JsonNode.Parse(await client.GetStringAsync($"/api/v1/webhooks/{endpoint}/deliveries", Ct))!.AsArray();
    }

    /// <summary>The process (of <paramref name="candidates"/>) holding the TCP socket whose local port is
    /// <paramref name="port"/> (Linux: /proc/net/tcp gives the socket's inode, /proc/PID/fd the process that holds it); 0 if none.</summary>
    private static int SenderOf(int port, params ServeProcess[] candidates)
    {
        var hex = ":" + port.ToString("X4", System.Globalization.CultureInfo.InvariantCulture);
        var inodes = new[] { "/proc/net/tcp", "/proc/net/tcp6" }.Where(File.Exists)
            .SelectMany(f => File.ReadLines(f).Skip(1))
            .Select(line => line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 9 && f[1].EndsWith(hex, StringComparison.Ordinal))
            .Select(f => $"socket:[{f[9]}]")
            .ToHashSet(StringComparer.Ordinal);
        foreach (var candidate in candidates)
        {
            foreach (var fd in Directory.EnumerateFiles($"/proc/{candidate.Process.Id}/fd"))
            {
                try
                {
                    if (new FileInfo(fd).LinkTarget is { } target && inodes.Contains(target))
                    {
                        return candidate.Process.Id;
                    }
                }
                catch (IOException)
                {
                    // The descriptor closed while we looked.
                }
            }
        }

        return 0;
    }

    private static Task<T> EventuallyAsync<T>(Func<T?> probe, TimeSpan patience)
        where T : class => EventuallyAsync(() => Task.FromResult(probe()), patience);

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan patience)
        where T : class
    {
        var until = DateTime.UtcNow + patience;
        while (DateTime.UtcNow < until)
        {
            if (await probe() is { } found)
            {
                return found;
            }

            await Task.Delay(50, Ct);
        }

        throw new TimeoutException($"The expected webhook outcome did not come within {patience.TotalSeconds} s.");
    }
}
