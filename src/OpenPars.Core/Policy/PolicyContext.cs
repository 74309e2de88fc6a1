using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Charter;

namespace OpenPars.Core.Policy;

/// <summary>What every check sees: the inputs of the decision and the agreement's standing at <see cref="Now"/>.</summary>
public sealed record PolicyContext(
    Caller Caller, AgreementStanding Standing, PartnerRequest Request, QuotaUsage Usage, DateTimeOffset Now, PolicyOptions Options)
{
    /// <summary>The charter in force at <see cref="Now"/>; null (nobody supplied one) fails the charter check closed.</summary>
    public CharterDocument? Charter { get; init; }

    /// <summary>The governing document. Every check after <see cref="Checks.AgreementExists"/> may rely on it.</summary>
    public AgreementDocument Agreement => Standing.Document ?? throw new InvalidOperationException("No agreement: AgreementExists must run first.");
}

/// <summary>One small step of the partner pipeline (<see cref="PartnerPolicy.Checks"/>): passes (null) or refuses.</summary>
public interface IPolicyCheck
{
    /// <summary>The rule's stable name, recorded in the audit entry of a refusal.</summary>
    string Rule { get; }

    PolicyDecision.Refused? Check(PolicyContext context);
}
