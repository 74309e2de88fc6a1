using OpenPars.Core.Agreements;

namespace OpenPars.Core.Policy.Checks;

/// <summary>PARS-AGR-030 (HTTP 429). Rule: queries per user per day and records per agency per day (issue, quotas);
/// for a watch, the agency's active watches against <see cref="AgreementQuotas.MaxActiveWatches"/> (issue 10: "so a
/// watch list cannot become a sweep"; a watch discloses no record, so it uses no query or record quota). The day is
/// the agreement's calendar day; the counts come in as <see cref="QuotaUsage"/>.</summary>
public sealed class WithinQuota : IPolicyCheck
{
    public string Rule => "within-quota";

    public PolicyDecision.Refused? Check(PolicyContext context)
    {
        var quotas = context.Agreement.Quotas;
        if (context.Request.OpensStream)
        {
            // The stream adds no watch and discloses no record: it carries the matches of watches already counted.
            return null;
        }

        if (context.Request.Operation == PartnerOperation.Watch)
        {
            return context.Usage.ActiveWatchesByAgency >= (quotas.MaxActiveWatches ?? 0)
                ? PolicyDecision.Refuse(AgreementErrorCodes.QuotaExceeded, Rule, "Your agency has as many active watches as its agreement allows; cancel one first.")
                : null;
        }

        if (context.Usage.QueriesByUserToday >= quotas.QueriesPerUserPerDay)
        {
            return PolicyDecision.Refuse(AgreementErrorCodes.QuotaExceeded, Rule, "You have used today's query quota.");
        }

        return context.Usage.RecordsByAgencyToday >= quotas.RecordsPerAgencyPerDay
            ? PolicyDecision.Refuse(AgreementErrorCodes.QuotaExceeded, Rule, "Your agency has used today's record quota.")
            : null;
    }
}
