namespace OpenPars.Core.Oversight;

/// <summary>Refusals of the oversight views and alerts: PARS-OVS-0xx.</summary>
public static class OversightErrorCodes
{
    /// <summary>The partner agency has no agreement with terms to measure its looks against (a benchmark needs a row scope).</summary>
    public const string NoAgreementToMeasure = "PARS-OVS-001";

    public const string AlertNotFound = "PARS-OVS-002";

    /// <summary>A stakeholder agency acknowledges an alert once; its statement stands.</summary>
    public const string AlreadyAcknowledged = "PARS-OVS-003";
}
