namespace OpenPars.Core.Agreements;

/// <summary>
/// How many of the three stakeholder agencies (police, district attorney, courts) must agree.
/// The default is the PARS rule: every stakeholder consents to enter or renew (3 of 3), and two of three
/// withdrawals end the agreement. Resuming a suspended agreement needs <see cref="ConsentsToEnter"/> consents.
/// </summary>
public sealed record QuorumRule
{
    public const int Stakeholders = 3;

    public int ConsentsToEnter { get; init; } = Stakeholders;

    public int WithdrawalsToEnd { get; init; } = 2;
}
