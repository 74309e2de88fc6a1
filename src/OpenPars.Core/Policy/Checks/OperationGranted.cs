using OpenPars.Core.Agreements;

namespace OpenPars.Core.Policy.Checks;

/// <summary>PARS-AGR-040. Rule: the agreement lists the operations (search, read) a partner may perform.</summary>
public sealed class OperationGranted : IPolicyCheck
{
    public string Rule => "operation-granted";

    public PolicyDecision.Refused? Check(PolicyContext context) =>
        context.Agreement.Operations.Contains(context.Request.Operation)
            ? null
            : PolicyDecision.Refuse(AgreementErrorCodes.OperationNotGranted, Rule, "This agreement does not grant this operation.");
}
