using OpenPars.Core.Agreements;

namespace OpenPars.Core.Policy.Checks;

/// <summary>PARS-AGR-003. Rule: at expiresAt, to the second, access ends unless a renewal took over; the
/// calculator already applied renewals. The second test is defence in depth against a stale standing.</summary>
public sealed class AgreementNotExpired : IPolicyCheck
{
    public string Rule => "agreement-not-expired";

    public PolicyDecision.Refused? Check(PolicyContext context) =>
        context.Standing.Status == AgreementStatus.Expired || context.Now >= context.Agreement.ExpiresAt
            ? PolicyDecision.Refuse(AgreementErrorCodes.Expired, Rule, "The agreement has expired.")
            : null;
}
