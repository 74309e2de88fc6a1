using OpenPars.App.Webhooks;
using OpenPars.Core.Webhooks;
using OpenPars.Storage.Webhooks;
using Microsoft.EntityFrameworkCore;

namespace OpenPars.Testing.Web;

/// <summary>Webhook arrange steps and options for test servers.</summary>
public static class WebhookArrange
{
    /// <summary>Every test server's default: no worker (nothing is sent, no entry is written behind a test's back),
    /// loopback over http allowed for ICE and the three stakeholder agencies (PPD, DAO, FJD).</summary>
    public static WebhookOptions QuietOptions { get; } = LoopbackOptions(["ICE", "PPD", "DAO", "FJD"]) with { RunWorker = false };

    /// <summary>A running worker that may reach loopback (the test receiver) for <paramref name="agencies"/>, polling fast.</summary>
    public static WebhookOptions LoopbackOptions(IEnumerable<string> agencies) => new()
    {
        Addresses = new WebhookAddressPolicy
        {
            AllowedHosts = agencies.ToDictionary(a => a, _ => (IReadOnlyList<string>)["127.0.0.1", "localhost"]),
            HttpHosts = ["127.0.0.1", "localhost"],
            AllowLoopback = true,
        },
        PollInterval = TimeSpan.FromMilliseconds(50),
        SenderInterval = TimeSpan.FromMilliseconds(100),
        AttemptTimeout = TimeSpan.FromSeconds(2),
        Jitter = () => 0.5,
    };

    /// <summary>Disables every enabled endpoint of <paramref name="agencyCode"/> (a suite that registers many stays under
    /// the per-agency limit).</summary>
    public static async Task ClearAsync(OpenParsTestServer server, string agencyCode)
    {
        await using var db = server.NewContext();
        await db.WebhookEndpoints.Where(e => e.AgencyCode == agencyCode && e.Enabled)
            .ExecuteUpdateAsync(s => s.SetProperty(e => e.Enabled, false).SetProperty(e => e.DisabledReason, "deleted"));
    }

    /// <summary>An endpoint of <paramref name="agencyCode"/> written straight to the store (no secret that signs: for
    /// the role matrix), with one dead delivery; returns (endpoint id, delivery id).</summary>
    public static async Task<(string Endpoint, string Delivery)> EndpointWithDeadDeliveryAsync(OpenParsTestServer server, string agencyCode, string audience, string kind)
    {
        await using var db = server.NewContext();
        var agency = await db.Agencies.SingleAsync(a => a.Code == agencyCode);
        var now = server.Clock.GetUtcNow();
        var endpoint = new WebhookEndpointRow
        {
            PublicId = WebhookStore.NewId("wh-"), AgencyId = agency.Id, AgencyCode = agencyCode, Audience = audience, Url = "http://127.0.0.1:9/hook",
            EventKinds = kind, SecretSealed = [0], CreatedAt = now, Enabled = true,
        };
        db.WebhookEndpoints.Add(endpoint);
        await db.SaveChangesAsync();
        var delivery = new WebhookDeliveryRow
        {
            PublicId = WebhookStore.NewId("whd-"), EndpointId = endpoint.Id, EventPosition = 1, EventType = kind, State = WebhookStates.Dead,
            Failures = 8, Attempts = 8, NextAttemptAt = now, CreatedAt = now, FinishedAt = now,
        };
        db.WebhookDeliveries.Add(delivery);
        await db.SaveChangesAsync();
        return (endpoint.PublicId, delivery.PublicId);
    }
}
