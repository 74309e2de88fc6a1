using OpenPars.Core.Arraignment;
using OpenPars.Core.Arrests;
using OpenPars.Core.Charging;

namespace OpenPars.Storage.Arrests;

/// <summary>
/// One past arrest as the three desks handled it, for bulk ingest (<see cref="BulkArrestWriter"/>): the booking (with
/// <see cref="BookArrest.BookedAt"/> set), the DA's decision if one was made, and the arraignment if it took place.
/// Turned into events by <see cref="BulkArrestHistory.Decide"/>, through the same domain rules as the live desks.
/// The demo generator (src/OpenPars.Demo) makes synthetic ones; an import from an older system would make real ones.
/// </summary>
public sealed record BulkArrest
{
    public required BookArrest Booking { get; init; }

    public ChargingDecision? Charging { get; init; }

    /// <summary>When the charging decision was recorded; set exactly when <see cref="Charging"/> is.</summary>
    public DateTimeOffset? ChargingDecidedAt { get; init; }

    /// <summary>The preliminary arraignment, with <see cref="ArraignmentRecord.ArraignedAt"/> set; only after an approve or modify.</summary>
    public ArraignmentRecord? Arraignment { get; init; }

    public DateTimeOffset BookedAt => Booking.BookedAt ?? throw new InvalidOperationException("A bulk booking always carries its instant.");
}
