using OpenPars.Core.Arraignment;
using OpenPars.Core.Arrests;
using OpenPars.Core.Charging;

namespace OpenPars.Storage.Demo;

/// <summary>
/// One synthetic arrest as the three desks would have handled it: the booking (with <see cref="BookArrest.BookedAt"/>
/// set), the DA's decision if one was made by the generator's "now", and the arraignment if it took place.
/// Turned into events by <see cref="DemoHistory.Decide"/>, through the same domain rules as the live desks.
/// </summary>
public sealed record DemoArrest
{
    public required BookArrest Booking { get; init; }

    public ChargingDecision? Charging { get; init; }

    /// <summary>When the charging decision was recorded; set exactly when <see cref="Charging"/> is.</summary>
    public DateTimeOffset? ChargingDecidedAt { get; init; }

    /// <summary>The preliminary arraignment, with <see cref="ArraignmentRecord.ArraignedAt"/> set; only after an approve or modify.</summary>
    public ArraignmentRecord? Arraignment { get; init; }

    public DateTimeOffset BookedAt => Booking.BookedAt ?? throw new InvalidOperationException("A demo booking always carries its instant.");
}
