namespace OpenPars.Core.Watches;

/// <summary>Refusals of partner watches: PARS-WCH-0xx (catalogued in Core/Common/ErrorCatalogue.cs). A prohibited
/// criterion, a criterion the agreement does not allow, an unidentified person and a full watch list are refused as in
/// a search (PARS-AGR-020, -021, -022, -030).</summary>
public static class WatchErrorCodes
{
    /// <summary>No watch of the caller's agency has this id (another agency's watch looks the same as none).</summary>
    public const string WatchNotFound = "PARS-WCH-001";

    /// <summary>The watch's <c>expiresAt</c> is not in the future, or is after the agreement's expiry.</summary>
    public const string ExpiryOutOfRange = "PARS-WCH-002";

    /// <summary>The watch was cancelled or has expired: it cannot be cancelled again.</summary>
    public const string WatchEnded = "PARS-WCH-003";

    /// <summary>The watch body is not one identified person (criteria missing, not an object of strings).</summary>
    public const string InvalidWatch = "PARS-WCH-004";
}
