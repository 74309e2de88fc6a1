namespace OpenPars.Core.Agreements;

/// <summary>
/// The <c>quorum</c> member an agreement document may carry, for compatibility with documents written before the
/// charter: it decides nothing. The quorum that counts is the charter's (<see cref="Charter.CharterQuorum"/>); a
/// document's quorum other than the charter's is refused at draft (PARS-CHR-001) and ignored by the status.
/// </summary>
public sealed record QuorumRule
{
    public const int Stakeholders = 3;

    public int ConsentsToEnter { get; init; } = Stakeholders;

    public int WithdrawalsToEnd { get; init; } = 2;
}
