using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Core.Common;
using OpenPars.Storage.Audit;
using OpenPars.Web.Problems;

namespace OpenPars.Web.Security;

/// <summary>The rate limits of authentication abuse and of partner requests; a null limit is no limit.</summary>
public sealed record RateLimitSettings
{
    /// <summary>Failed credentials a client address may present per <see cref="FailureWindow"/>; past it, no credential
    /// from that address is checked until the window ends.</summary>
    public int? FailuresPerAddress { get; init; } = 20;

    /// <summary>Failed credentials an account may collect per <see cref="FailureWindow"/> (from any address); past it,
    /// further failures for the account are answered 429. A valid credential is not refused by this limit, so an
    /// attacker failing on an account does not lock its owner out from another address.</summary>
    public int? FailuresPerAccount { get; init; } = 10;

    /// <summary>The failure windows' length.</summary>
    public TimeSpan FailureWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>Requests one partner token may send per <see cref="PartnerWindow"/> (beyond its agreement's daily quota).</summary>
    public int? PartnerRequestsPerToken { get; init; } = 60;

    /// <summary>The partner window's length.</summary>
    public TimeSpan PartnerWindow { get; init; } = TimeSpan.FromMinutes(1);

    /// <summary>No limit at all (test servers that send hundreds of bad tokens on purpose).</summary>
    public static RateLimitSettings Unlimited { get; } = new() { FailuresPerAddress = null, FailuresPerAccount = null, PartnerRequestsPerToken = null };

    /// <summary>The defaults, overridden by <c>OPENPARS_RATE_FAILURES_PER_ADDRESS</c>, <c>OPENPARS_RATE_FAILURES_PER_ACCOUNT</c>,
    /// <c>OPENPARS_RATE_FAILURE_WINDOW_SECONDS</c>, <c>OPENPARS_RATE_PARTNER_REQUESTS</c>, <c>OPENPARS_RATE_PARTNER_WINDOW_SECONDS</c>
    /// (0 for a limit: none).</summary>
    public static RateLimitSettings FromEnvironment(Func<string, string?>? read = null)
    {
        read ??= Environment.GetEnvironmentVariable;
        var defaults = new RateLimitSettings();
        int? Limit(string name, int? fallback) => read(name) is { Length: > 0 } text
            ? int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture) is var n && n > 0 ? n : null
            : fallback;
        TimeSpan Window(string name, TimeSpan fallback) => read(name) is { Length: > 0 } text
            ? TimeSpan.FromSeconds(Math.Max(1, int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture)))
            : fallback;
        return new RateLimitSettings
        {
            FailuresPerAddress = Limit("OPENPARS_RATE_FAILURES_PER_ADDRESS", defaults.FailuresPerAddress),
            FailuresPerAccount = Limit("OPENPARS_RATE_FAILURES_PER_ACCOUNT", defaults.FailuresPerAccount),
            FailureWindow = Window("OPENPARS_RATE_FAILURE_WINDOW_SECONDS", defaults.FailureWindow),
            PartnerRequestsPerToken = Limit("OPENPARS_RATE_PARTNER_REQUESTS", defaults.PartnerRequestsPerToken),
            PartnerWindow = Window("OPENPARS_RATE_PARTNER_WINDOW_SECONDS", defaults.PartnerWindow),
        };
    }
}

/// <summary>
/// A fixed-window limiter on the server's <see cref="TimeProvider"/>: <c>permitLimit</c> permits in each window of
/// <c>window</c> counted from the Unix epoch, no queue. The framework's own window limiters replenish on a timer of
/// their own; this one reads the injected clock, so a test moves it to the next window to the tick.
/// </summary>
public sealed class ClockedWindowRateLimiter(TimeProvider clock, int permitLimit, TimeSpan window) : RateLimiter
{
    private readonly Lock _gate = new();
    private long _windowIndex = long.MinValue;
    private int _used;

    /// <summary>The permits per window.</summary>
    public int PermitLimit => permitLimit;

    /// <inheritdoc/>
    public override TimeSpan? IdleDuration
    {
        get
        {
            lock (_gate)
            {
                return WindowNow() != _windowIndex || _used == 0 ? TimeSpan.Zero : null;
            }
        }
    }

    /// <inheritdoc/>
    public override RateLimiterStatistics? GetStatistics()
    {
        lock (_gate)
        {
            Roll();
            return new RateLimiterStatistics { CurrentAvailablePermits = permitLimit - _used };
        }
    }

    /// <summary>How long until the current window ends (what Retry-After says).</summary>
    public TimeSpan UntilNextWindow() => UntilNextWindow(clock, window);

    /// <summary>How long until the window of length <paramref name="window"/> that <paramref name="clock"/> is in ends.</summary>
    public static TimeSpan UntilNextWindow(TimeProvider clock, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(clock);
        var ticks = clock.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        return TimeSpan.FromTicks(window.Ticks - (ticks % window.Ticks));
    }

    /// <inheritdoc/>
    protected override RateLimitLease AttemptAcquireCore(int permitCount)
    {
        lock (_gate)
        {
            Roll();
            if (_used + permitCount <= permitLimit)
            {
                _used += permitCount;
                return Lease.Granted;
            }

            return new Lease(false, UntilNextWindow());
        }
    }

    /// <inheritdoc/>
    protected override ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken) =>
        ValueTask.FromResult(AttemptAcquireCore(permitCount));

    private long WindowNow() => (clock.GetUtcNow().UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks) / window.Ticks;

    private void Roll()
    {
        var now = WindowNow();
        if (now != _windowIndex)
        {
            _windowIndex = now;
            _used = 0;
        }
    }

    private sealed class Lease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly Lease Granted = new(true, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = metadataName == MetadataName.RetryAfter.Name ? retryAfter : null;
            return metadata is not null;
        }
    }
}

/// <summary>Which limit refused a request, for its answer and its audit entry.</summary>
/// <param name="Limit"><c>client-address</c>, <c>account</c> or <c>partner-token</c>.</param>
/// <param name="Code">The catalogued code.</param>
/// <param name="PermitLimit">Permits per window.</param>
/// <param name="Window">The window.</param>
/// <param name="RetryAfter">Until the window ends.</param>
public sealed record RateLimitRefusal(string Limit, string Code, int PermitLimit, TimeSpan Window, TimeSpan RetryAfter)
{
    /// <summary>Whole seconds, rounded up and at least one: what Retry-After carries.</summary>
    public int RetryAfterSeconds => Math.Max(1, (int)Math.Ceiling(RetryAfter.TotalSeconds));

    /// <summary>Answers 429 with Retry-After and the problem, recorded first as one entry of <paramref name="type"/>
    /// (when the request is one the audit records) with the limit's facts.</summary>
    public Task RefuseAsync(HttpContext context, AuditEventType type)
    {
        var trail = context.RequestServices.GetRequiredService<AuditTrail>();
        if (trail.EventType is not null && !trail.Recorded)
        {
            trail.EventType = type;
            trail.Payload(new RateLimitedV1(Limit, PermitLimit, (int)Window.TotalSeconds, RetryAfterSeconds));
        }

        context.Response.Headers.RetryAfter = RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        var description = ErrorCatalogue.Describe(Code);
        return ProblemResults.RefuseAsync(context, description.Status, Code, description.Title,
            $"{description.Description} Retry after {RetryAfterSeconds.ToString(CultureInfo.InvariantCulture)} s.");
    }
}

/// <summary>
/// The reusable policy against credential guessing, keyed by client address and by account, on the framework's
/// partitioned rate limiters (one <see cref="ClockedWindowRateLimiter"/> per key). Bearer-token authentication uses
/// it now; a password sign-in calls the same two methods: <see cref="Throttled"/> before checking a credential
/// (refuses a client address that failed too often), <see cref="RecordFailure"/> after a credential failed.
/// </summary>
public sealed class AuthenticationAbuseLimiter : IDisposable
{
    private readonly RateLimitSettings _settings;
    private readonly TimeProvider _clock;
    private readonly PartitionedRateLimiter<string>? _byAddress;
    private readonly PartitionedRateLimiter<string>? _byAccount;

    /// <param name="settings">The limits.</param>
    /// <param name="clock">The server's clock (the windows are read from it).</param>
    public AuthenticationAbuseLimiter(RateLimitSettings settings, TimeProvider clock)
    {
        _settings = settings;
        _clock = clock;
        _byAddress = settings.FailuresPerAddress is { } perAddress ? Partitioned(clock, perAddress, settings.FailureWindow) : null;
        _byAccount = settings.FailuresPerAccount is { } perAccount ? Partitioned(clock, perAccount, settings.FailureWindow) : null;
    }

    /// <summary>The refusal for a client address that used up its failures in this window, or null.</summary>
    public RateLimitRefusal? Throttled(string? address)
    {
        if (_byAddress is null || address is null || _byAddress.GetStatistics(address)?.CurrentAvailablePermits > 0)
        {
            return null;
        }

        return new RateLimitRefusal("client-address", ErrorCodes.TooManyFailuresFromAddress, _settings.FailuresPerAddress!.Value, _settings.FailureWindow,
            ClockedWindowRateLimiter.UntilNextWindow(_clock, _settings.FailureWindow));
    }

    /// <summary>Counts a failed credential against its address and its account (null when it names none); the
    /// refusal when that failure was over either limit, else null (the failure is answered 401 as usual).</summary>
    public RateLimitRefusal? RecordFailure(string? address, string? account)
    {
        RateLimitRefusal? refusal = null;
        if (_byAccount is not null && account is not null)
        {
            using var lease = _byAccount.AttemptAcquire(account);
            if (!lease.IsAcquired)
            {
                refusal = Refusal("account", ErrorCodes.TooManyFailuresForAccount, _settings.FailuresPerAccount!.Value, lease);
            }
        }

        if (_byAddress is not null && address is not null)
        {
            using var lease = _byAddress.AttemptAcquire(address);
            if (!lease.IsAcquired)
            {
                refusal ??= Refusal("client-address", ErrorCodes.TooManyFailuresFromAddress, _settings.FailuresPerAddress!.Value, lease);
            }
        }

        return refusal;
    }

    /// <inheritdoc/>
    public void Dispose()
    {
        _byAddress?.Dispose();
        _byAccount?.Dispose();
    }

    private RateLimitRefusal Refusal(string limit, string code, int permits, RateLimitLease lease) =>
        new(limit, code, permits, _settings.FailureWindow, lease.TryGetMetadata(MetadataName.RetryAfter, out var retry) ? retry : _settings.FailureWindow);

    private static PartitionedRateLimiter<string> Partitioned(TimeProvider clock, int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.Get(key, _ => new ClockedWindowRateLimiter(clock, permits, window)));
}

/// <summary>The partner request rate: the framework's rate-limiting middleware, one window per partner token.</summary>
public static class PartnerRateLimit
{
    /// <summary>The policy partner endpoints name with <c>RequireRateLimiting</c>.</summary>
    public const string Policy = "partner-token";

    /// <summary>Registers the policy and its 429 answer (Retry-After, PARS-RATE-003, audited as partner.rate-limited).
    /// The limits and the clock are the server's services (<see cref="RateLimitSettings"/>, <see cref="TimeProvider"/>),
    /// read when a token's window is first made.</summary>
    public static IServiceCollection AddPartnerRateLimit(this IServiceCollection services) =>
        services.AddRateLimiter(o =>
        {
            o.AddPolicy(Policy, context =>
            {
                var settings = context.RequestServices.GetRequiredService<RateLimitSettings>();
                var clock = context.RequestServices.GetRequiredService<TimeProvider>();
                return settings.PartnerRequestsPerToken is { } permits && context.User.ToCallerOrNull()?.TokenId is { } token
                    ? RateLimitPartition.Get("token:" + token.ToString(CultureInfo.InvariantCulture), _ => new ClockedWindowRateLimiter(clock, permits, settings.PartnerWindow))
                    : RateLimitPartition.GetNoLimiter("none");
            });
            o.OnRejected = (rejected, _) =>
            {
                var settings = rejected.HttpContext.RequestServices.GetRequiredService<RateLimitSettings>();
                var retry = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? after : settings.PartnerWindow;
                return new ValueTask(new RateLimitRefusal("partner-token", ErrorCodes.PartnerRateExceeded, settings.PartnerRequestsPerToken ?? 0, settings.PartnerWindow, retry)
                    .RefuseAsync(rejected.HttpContext, AuditEventType.PartnerRateLimited));
            };
        });
}
