namespace OpenPars.Core.Policy;

/// <summary>What the partner already used today (the calendar day of
/// <see cref="Agreements.AgreementClock.QuotaDay"/>), counted by storage from the audit log: allowed requests by
/// this user, records disclosed to the whole agency; and the agency's watches active now (not a daily count). The
/// decision stays pure because these come in as input.</summary>
public sealed record QuotaUsage(int QueriesByUserToday, int RecordsByAgencyToday, int ActiveWatchesByAgency = 0)
{
    public static QuotaUsage None { get; } = new(0, 0);
}
