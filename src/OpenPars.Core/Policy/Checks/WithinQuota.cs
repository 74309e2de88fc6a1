using OpenPars.Core.Agreements;

namespace OpenPars.Core.Policy.Checks;

/// <summary>PARS-AGR-030 (HTTP 429). Rule: queries per user per day and records per agency per day (issue, quotas).
/// The day is the agreement's calendar day; the counts come in as <see cref="QuotaUsage"/>.</summary>
public sealed class WithinQuota : IPolicyCheck
{
    public string Rule => "within-quota";

    public PolicyDecision.Refused? Check(PolicyContext context)
    {
        var quotas = context.Agreement.Quotas;
        if (context.Usage.QueriesByUserToday >= quotas.QueriesPerUserPerDay)
        {
            return PolicyDecision.Refuse(AgreementErrorCodes.QuotaExceeded, Rule, "You have used today's query quota.");
        }

        return context.Usage.RecordsByAgencyToday >= quotas.RecordsPerAgencyPerDay
            ? PolicyDecision.Refuse(AgreementErrorCodes.QuotaExceeded, Rule, "Your agency has used today's record quota.")
            : null;
    }
}
