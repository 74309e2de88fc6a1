using OpenPars.Core.Agreements;

namespace OpenPars.Core.Policy.Checks;

/// <summary>PARS-AGR-022. Rule: a partner search must identify a person — arrest number, or last name and date
/// of birth, or SID or FBI number — never sweep the database (the 2018 PARS partner probed it daily). A read
/// identifies by its arrest number; the partner stream names nobody (its watches each identified one person).</summary>
public sealed class IdentifiesPerson : IPolicyCheck
{
    public string Rule => "identifies-person";

    public PolicyDecision.Refused? Check(PolicyContext context)
    {
        var request = context.Request;
        var identifies = request.OpensStream
            || (request.Operation == PartnerOperation.Read
                ? !string.IsNullOrWhiteSpace(request.ArrestNumber)
                : SearchCriteria.IdentifiesPerson(request.Criteria));
        return identifies
            ? null
            : PolicyDecision.Refuse(AgreementErrorCodes.QueryTooBroad, Rule,
                "A partner search must identify a person: arrestNumber, or lastName with dateOfBirth, or sid or fbiNumber.");
    }
}
