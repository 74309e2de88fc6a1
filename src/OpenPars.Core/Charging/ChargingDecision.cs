using OpenPars.Core.Arrests;

namespace OpenPars.Core.Charging;

public enum ChargingOutcome { Approve, Modify, Decline }

/// <summary>The DA's decision on an arrest: approve the booked charges, replace them, or decline to prosecute.</summary>
public sealed record ChargingDecision
{
    public ChargingOutcome? Outcome { get; init; }

    /// <summary>Required for <see cref="ChargingOutcome.Modify"/>, refused otherwise.</summary>
    public List<Charge>? Charges { get; init; }

    /// <summary>Required for <see cref="ChargingOutcome.Decline"/>.</summary>
    public string? Reason { get; init; }
}
