namespace OpenPars.Core.Webhooks;

/// <summary>Refusals of webhook registration and delivery management: PARS-HOOK-0xx (catalogued in Core/Common/ErrorCatalogue.cs).</summary>
public static class WebhookErrorCodes
{
    /// <summary>The url is not an absolute https URL (http only for hosts the configuration allows), or has user info or a fragment.</summary>
    public const string UrlRefused = "PARS-HOOK-001";

    /// <summary>The url's host is, or resolves to, a private, loopback, link-local or metadata address the configuration does not allow.</summary>
    public const string AddressRefused = "PARS-HOOK-002";

    /// <summary>The url's host is not on the agency's allow list (configuration).</summary>
    public const string HostNotAllowed = "PARS-HOOK-003";

    /// <summary>An event kind is unknown, repeated, or not one the caller's agency may subscribe to.</summary>
    public const string EventKindRefused = "PARS-HOOK-004";

    /// <summary>No webhook endpoint with this id is visible to the caller.</summary>
    public const string EndpointNotFound = "PARS-HOOK-005";

    /// <summary>No delivery with this id is visible to the caller.</summary>
    public const string DeliveryNotFound = "PARS-HOOK-006";

    /// <summary>The delivery cannot be sent again: it is still pending, it was cancelled (revocation is final), or its endpoint is disabled or deleted.</summary>
    public const string RedeliveryRefused = "PARS-HOOK-007";

    /// <summary>The partner agency has no agreement in force: it may register no webhook.</summary>
    public const string NoAgreementInForce = "PARS-HOOK-008";

    /// <summary>The agency already has the most endpoints allowed.</summary>
    public const string TooManyEndpoints = "PARS-HOOK-009";

    /// <summary>A partner's endpoint named an oversight alert kind: alerts go only to stakeholder agencies.</summary>
    public const string AlertKindStakeholdersOnly = "PARS-HOOK-010";
}
