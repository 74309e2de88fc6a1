using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using StandardWebhooks;

namespace OpenPars.Testing.Web;

/// <summary>One request the receiver got: its headers, body, whether its signature verified, and the sender's
/// (client) port, which names the process that sent it.</summary>
public sealed record ReceivedWebhook(string Id, string Timestamp, string Signature, string Body, bool Verified, int AnsweredWith, int SenderPort = 0);

/// <summary>
/// A webhook receiver for tests: a real Kestrel app on a loopback port that verifies each request's Standard Webhooks
/// signature with the StandardWebhooks package (the secret is given once the endpoint is registered), answers with
/// the next scripted status (200 when the script is empty; optionally a Retry-After) and records what it got.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<(int Status, string? RetryAfter)> _script = new();

    private WebhookReceiver(WebApplication app) => _app = app;

    /// <summary>The secret to verify with (set after registration).</summary>
    public string? Secret { get; set; }

    /// <summary>Every request, in arrival order (recorded when it arrives, before it is answered).</summary>
    public ConcurrentQueue<ReceivedWebhook> Received { get; } = new();

    /// <summary>Awaited before each answer (a test holds an attempt in flight with it); none by default.</summary>
    public Func<ReceivedWebhook, Task>? BeforeAnswer { get; set; }

    /// <summary>Requests being answered now, by webhook-id: two at once for one id would be one attempt sent twice concurrently.</summary>
    public int MostInFlightForOneId => _mostInFlight;

    private readonly ConcurrentDictionary<string, int> _inFlight = new(StringComparer.Ordinal);
    private int _mostInFlight;

    /// <summary>Where to register: <c>http://127.0.0.1:port/hook</c>.</summary>
    public string Url { get; private set; } = "";

    public static async Task<WebhookReceiver> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new WebhookReceiver(app);
        app.MapPost("/hook", async (HttpContext context) =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            var id = context.Request.Headers["webhook-id"].ToString();
            var timestamp = context.Request.Headers["webhook-timestamp"].ToString();
            var signature = context.Request.Headers["webhook-signature"].ToString();
            var verified = receiver.Secret is { } secret && long.TryParse(timestamp, out var seconds)
                && signature.Split(' ').Any(s => System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(s), System.Text.Encoding.ASCII.GetBytes(new StandardWebhook(secret).Sign(id, DateTimeOffset.FromUnixTimeSeconds(seconds), body))));
            var (status, retryAfter) = receiver._script.TryDequeue(out var next) ? next : (200, null);
            var received = new ReceivedWebhook(id, timestamp, signature, body, verified, status, context.Connection.RemotePort);
            receiver.Received.Enqueue(received);
            var inFlight = receiver._inFlight.AddOrUpdate(id, 1, (_, n) => n + 1);
            InterlockedMax(ref receiver._mostInFlight, inFlight);
            try
            {
                if (receiver.BeforeAnswer is { } hold)
                {
                    await hold(received);
                }
            }
            finally
            {
                receiver._inFlight.AddOrUpdate(id, 0, (_, n) => n - 1);
            }

            if (retryAfter is not null)
            {
                context.Response.Headers.RetryAfter = retryAfter;
            }

            return Results.StatusCode(status);
        });
        await app.StartAsync();
        receiver.Url = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First() + "/hook";
        return receiver;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var was = Interlocked.CompareExchange(ref target, value, seen);
            if (was == seen)
            {
                return;
            }

            seen = was;
        }
    }

    /// <summary>The next answers, in order (then 200).</summary>
    public void Answer(int status, string? retryAfter = null) => _script.Enqueue((status, retryAfter));

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
