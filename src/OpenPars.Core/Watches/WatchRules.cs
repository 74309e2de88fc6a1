using System.Security.Cryptography;
using OpenPars.Core.Agreements;

namespace OpenPars.Core.Watches;

/// <summary>What a watch is, as pure rules: its id, its expiry against the agreement's, whether it is active at an
/// instant, and which revocation of the agreement closes a partner's stream.</summary>
public static class WatchRules
{
    /// <summary>The id prefix of a watch.</summary>
    public const string IdPrefix = "pw-";

    /// <summary>A new random id: the prefix and 20 hex digits (80 bits; ids say nothing about other agencies' watches).</summary>
    public static string NewId() => IdPrefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(10));

    /// <summary>The expiry a registration asks for: default the agreement's; otherwise after now and no later than it.
    /// Null when refused (the caller answers <see cref="WatchErrorCodes.ExpiryOutOfRange"/>).</summary>
    public static DateTimeOffset? Expiry(DateTimeOffset? requested, DateTimeOffset agreementExpiresAt, DateTimeOffset now)
    {
        var expiry = requested ?? agreementExpiresAt;
        return expiry > now && expiry <= agreementExpiresAt ? expiry : null;
    }

    /// <summary>Active at <paramref name="at"/>: registered by then, not yet expired (expiry exclusive, to the tick), not cancelled by then.</summary>
    public static bool ActiveAt(DateTimeOffset registeredAt, DateTimeOffset expiresAt, DateTimeOffset? cancelledAt, DateTimeOffset at) =>
        registeredAt <= at && at < expiresAt && (cancelledAt is null || at < cancelledAt);

    /// <summary>Why an agreement standing no longer lets a partner's watches match or its stream stay open: null while
    /// it is active, in effect and grants <see cref="PartnerOperation.Watch"/>; else the reason (<c>terminated</c>,
    /// <c>suspended</c>, <c>expired</c>, <c>not-granted</c>, <c>no-agreement</c>) and the refusal code a new request
    /// would get.</summary>
    public static (string Reason, string Code)? Revoked(AgreementStanding standing, string agreementId, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(standing);
        if (standing.Document is not { } document || !string.Equals(document.AgreementId, agreementId, StringComparison.Ordinal))
        {
            return ("no-agreement", AgreementErrorCodes.NoActiveAgreement);
        }

        if (standing.Status == AgreementStatus.Expired || now >= document.ExpiresAt)
        {
            return ("expired", AgreementErrorCodes.Expired);
        }

        return standing.Status switch
        {
            AgreementStatus.Active when document.Operations.Contains(PartnerOperation.Watch) => null,
            AgreementStatus.Active => ("not-granted", AgreementErrorCodes.OperationNotGranted),
            AgreementStatus.Suspended => ("suspended", AgreementErrorCodes.TerminatedOrSuspended),
            AgreementStatus.Terminated => ("terminated", AgreementErrorCodes.TerminatedOrSuspended),
            _ => ("no-agreement", AgreementErrorCodes.NoActiveAgreement),
        };
    }
}
