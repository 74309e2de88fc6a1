namespace OpenPars.Core.Policy;

/// <summary>What the partner already used today (the calendar day of
/// <see cref="Agreements.AgreementClock.QuotaDay"/>), counted by storage from the audit log: allowed requests by
/// this user, records disclosed to the whole agency. The decision stays pure because these come in as input.</summary>
public sealed record QuotaUsage(int QueriesByUserToday, int RecordsByAgencyToday)
{
    public static QuotaUsage None { get; } = new(0, 0);
}
