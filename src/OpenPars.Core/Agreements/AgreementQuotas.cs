namespace OpenPars.Core.Agreements;

/// <summary>Daily ceilings, counted per calendar day in the agreement's time zone
/// (see <see cref="AgreementClock.QuotaDay"/>). The counts used so far come from the audit log.</summary>
public sealed record AgreementQuotas
{
    /// <summary>Requests (search or read) one partner user may make per day.</summary>
    public int QueriesPerUserPerDay { get; init; }

    /// <summary>Records the whole partner agency may receive per day.</summary>
    public int RecordsPerAgencyPerDay { get; init; }

    /// <summary>Watches the partner agency may have active at once (not expired, not cancelled): required when the
    /// agreement grants <see cref="PartnerOperation.Watch"/>, so a watch list cannot become a sweep. Not a daily count.</summary>
    public int? MaxActiveWatches { get; init; }
}
