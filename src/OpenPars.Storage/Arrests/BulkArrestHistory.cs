using OpenPars.Core.Arraignment;
using OpenPars.Core.Arrests;
using OpenPars.Core.Charging;

namespace OpenPars.Storage.Arrests;

/// <summary>The users a bulk ingest's events are attributed to: the booking officer, the charging attorney, the magistrate.</summary>
public sealed record BulkArrestActors(Actor BookingOfficer, Actor ChargingAttorney, Actor Magistrate);

/// <summary>An arrest's events and the record they fold into.</summary>
public sealed record BulkArrestHistory(IReadOnlyList<ArrestEvent> Events, ArrestRecord Record)
{
    /// <summary>
    /// Runs a past arrest through the desks' own decisions (<see cref="Booking.Decide"/>, <see cref="ChargingReview.Decide"/>,
    /// <see cref="PreliminaryArraignment.Decide"/>), each at the instant it happened, and folds the events with
    /// <see cref="ArrestProjection.Apply"/>: the bulk path cannot produce a record the live path would not.
    /// Throws the domain's validation exception when a record breaks a rule.
    /// </summary>
    public static BulkArrestHistory Decide(BulkArrest arrest, string arrestNumber, BulkArrestActors actors, ReferenceData reference)
    {
        var events = new List<ArrestEvent>(3);
        var bookedAt = arrest.BookedAt.ToUniversalTime();
        var booked = Booking.Decide(arrest.Booking, arrestNumber, actors.BookingOfficer, [Core.Agencies.Roles.BookingOfficer], reference, bookedAt);
        events.Add(booked);
        var record = ArrestProjection.Apply(null, booked);

        if (arrest.Charging is { } charging)
        {
            var decidedAt = (arrest.ChargingDecidedAt ?? throw new InvalidOperationException("A bulk charging decision carries its instant.")).ToUniversalTime();
            var decided = ChargingReview.Decide(record, charging, actors.ChargingAttorney, reference, decidedAt);
            events.Add(decided);
            record = ArrestProjection.Apply(record, decided);
        }

        if (arrest.Arraignment is { } arraignment)
        {
            var arraignedAt = (arraignment.ArraignedAt ?? throw new InvalidOperationException("A bulk arraignment carries its instant.")).ToUniversalTime();
            var recorded = PreliminaryArraignment.Decide(record, arraignment, actors.Magistrate, arraignedAt);
            events.Add(recorded);
            record = ArrestProjection.Apply(record, recorded);
        }

        return new BulkArrestHistory(events, record);
    }
}
