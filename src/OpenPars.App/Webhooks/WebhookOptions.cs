using System.Net;
using OpenPars.Core.Webhooks;

namespace OpenPars.App.Webhooks;

/// <summary>The webhook worker's configuration: where webhooks may go, its timing and bounds. Defaults are production's;
/// a test configures loopback, a short poll and (for DNS rebinding) a resolver of its own.</summary>
public sealed record WebhookOptions
{
    /// <summary>Whether this process runs the enqueuer and the sender (test servers that do not test webhooks run neither).</summary>
    public bool RunWorker { get; init; } = true;

    /// <summary>The allow lists and the ranges that may be reached.</summary>
    public WebhookAddressPolicy Addresses { get; init; } = new();

    /// <summary>The enqueuer's polling fallback: it wakes when the event log commits (this process's feed dispatcher
    /// has read new events: a commit of this process or, on PostgreSQL, another's <c>NOTIFY</c>) and looks at least
    /// this often otherwise.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest the sender sleeps before looking for due deliveries again.</summary>
    public TimeSpan SenderInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>One attempt's whole time (connect, send, answer); a slower receiver is a failure (<c>timeout</c>).</summary>
    public TimeSpan AttemptTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Deliveries claimed at a time (and sent in parallel) per process.</summary>
    public int ClaimBatch { get; init; } = 8;

    /// <summary>Events read per enqueue batch.</summary>
    public int ReadBatch { get; init; } = 500;

    /// <summary>Resolves a host to its addresses (the system's DNS); every address is checked against
    /// <see cref="Addresses"/> and the connection goes to one that passed.</summary>
    public Func<string, CancellationToken, Task<IPAddress[]>> Resolve { get; init; } = Dns.GetHostAddressesAsync;

    /// <summary>The jitter's random source: a number in [0, 1).</summary>
    public Func<double> Jitter { get; init; } = Random.Shared.NextDouble;
}
