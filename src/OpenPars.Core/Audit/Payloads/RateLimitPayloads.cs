namespace OpenPars.Core.Audit.Payloads;

/// <summary>A request refused by a rate limit (14001, 14002): which limit (<c>client-address</c>, <c>account</c>,
/// <c>partner-token</c>), its permits per window, the window and the seconds the client was told to wait. The key
/// itself (the address, the account) is the entry's own client address or actor, never repeated here.</summary>
public sealed record RateLimitedV1(string Limit, int PermitLimit, int WindowSeconds, int RetryAfterSeconds) : IAuditPayload<RateLimitedV1>
{
    public static AuditPayloadSchema Schema { get; } = new("rate-limited", 1, [AuditEventType.AuthenticationThrottled, AuditEventType.PartnerRateLimited]);

    /// <summary>No entry was written with these facts as details: payloads came first.</summary>
    public static RateLimitedV1 FromDetails(IReadOnlyDictionary<string, string> details) =>
        new(details.Text("limit") ?? "", (int)(details.Long("permitLimit") ?? 0), (int)(details.Long("windowSeconds") ?? 0), (int)(details.Long("retryAfterSeconds") ?? 0));
}
