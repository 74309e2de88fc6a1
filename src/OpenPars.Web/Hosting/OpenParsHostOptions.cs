using OpenPars.App.Hosting;
using OpenPars.Core.Arrests;

namespace OpenPars.Web.Hosting;

/// <summary>Everything the host needs to know; the CLI fills it from flags and environment, tests from code.</summary>
public sealed record OpenParsHostOptions
{
    public required StorageSettings Storage { get; init; }

    /// <summary>Kestrel URLs, e.g. http://127.0.0.1:5080. Ignored when <see cref="ListenOnLoopbackPort0"/> is set.</summary>
    public string Urls { get; init; } = "http://127.0.0.1:5080";

    /// <summary>Tests: listen on 127.0.0.1 with a port chosen by the OS.</summary>
    public bool ListenOnLoopbackPort0 { get; init; }

    public ReferenceData? Reference { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The city's zone: "today" for the arraignment list, and the zone agreements are written in.</summary>
    public string TimeZone { get; init; } = "America/New_York";

    /// <summary>The checkpoint-signing key (PEM); by default <c>audit-signing-key.pem</c> in the data folder, created on first start.</summary>
    public string? AuditKeyPath { get; init; }

    /// <summary>The real-time feeds' heartbeat, buffer and polling.</summary>
    public OpenPars.App.Feeds.FeedOptions Feeds { get; init; } = new();
    /// <summary>How often the background evaluator raises oversight alerts from new partner looks; null: never (tests that
    /// count audit entries run without it and evaluate when they choose).</summary>
    public TimeSpan? OversightEvaluationInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How often the partner watch matcher handles the events committed since its mark; null: not run.</summary>
    public TimeSpan? WatchMatchInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>Failed-credential and partner request rate limits (docs/reliability.md § Rate limits).</summary>
    public OpenPars.Web.Security.RateLimitSettings RateLimits { get; init; } = new();

    /// <summary>Where webhooks may go (allow lists per agency, http hosts, ranges) and the worker's timing.</summary>
    public OpenPars.App.Webhooks.WebhookOptions Webhooks { get; init; } = new();

    public const long MaxRequestBodyBytes = 1024 * 1024;

    /// <summary>The application's share of these options.</summary>
    public OpenParsAppOptions ToAppOptions() => new()
    {
        Storage = Storage,
        Reference = Reference,
        Clock = Clock,
        TimeZone = TimeZone,
        AuditKeyPath = AuditKeyPath,
        Feeds = Feeds,
        Webhooks = Webhooks,
    };
}
