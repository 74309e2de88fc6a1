using OpenPars.Core.Arrests;

namespace OpenPars.App.Hosting;

/// <summary>What the application needs whatever adapter runs it: the store, the reference data, the clock, the city's
/// zone and the checkpoint-signing key.</summary>
public sealed record OpenParsAppOptions
{
    public required StorageSettings Storage { get; init; }

    public ReferenceData? Reference { get; init; }

    public TimeProvider Clock { get; init; } = TimeProvider.System;

    /// <summary>The city's zone: "today" for the arraignment list, and the zone agreements are written in.</summary>
    public string TimeZone { get; init; } = "America/New_York";

    /// <summary>The checkpoint-signing key (PEM); by default <c>audit-signing-key.pem</c> in the data folder, created on first start.</summary>
    public string? AuditKeyPath { get; init; }

    /// <summary>The real-time feeds' heartbeat, buffer and polling (App/Feeds).</summary>
    public Feeds.FeedOptions Feeds { get; init; } = new();
    /// <summary>The disparity rule and the sweep thresholds oversight applies (defaults: docs/oversight.md).</summary>
    public Oversight.OversightSettings Oversight { get; init; } = new();

    /// <summary>Where webhooks may go and the worker's timing (App/Webhooks).</summary>
    public Webhooks.WebhookOptions Webhooks { get; init; } = new();
}
