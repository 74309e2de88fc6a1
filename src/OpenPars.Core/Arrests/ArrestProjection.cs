using OpenPars.Core.Charging;
using OpenPars.Core.Common;

namespace OpenPars.Core.Arrests;

/// <summary>Folds events into the current record. Pure; the store applies the same function when it appends.</summary>
public static class ArrestProjection
{
    public static ArrestRecord Fold(IEnumerable<ArrestEvent> events)
    {
        ArrestRecord? record = null;
        foreach (var e in events)
        {
            record = Apply(record, e);
        }

        return record ?? throw new DomainException(ErrorCodes.Internal, "An arrest has no events.");
    }

    public static ArrestRecord Apply(ArrestRecord? current, ArrestEvent e)
    {
        if (current is null != e is ArrestBooked)
        {
            throw new DomainException(ErrorCodes.Internal, "An arrest's history must start with its booking, once.");
        }

        if (current is not null && e.Sequence != current.Version + 1)
        {
            throw new DomainException(ErrorCodes.ConcurrentChange, $"Event {e.Sequence} does not follow version {current.Version}.");
        }

        var next = e switch
        {
            ArrestBooked b => new ArrestRecord
            {
                ArrestNumber = b.ArrestNumber,
                Status = ArrestStatus.AwaitingCharging,
                District = b.District,
                BookedAt = b.BookedAt,
                BookedBy = b.Actor,
                ArrestingOfficer = b.ArrestingOfficer,
                Incident = b.Incident,
                Person = b.Person,
                Charges = b.Charges,
                InvolvedParties = b.InvolvedParties,
            },
            ArrestCorrected c => current! with
            {
                District = c.District ?? current.District,
                ArrestingOfficer = c.ArrestingOfficer ?? current.ArrestingOfficer,
                Incident = c.Incident ?? current.Incident,
                Person = c.Person ?? current.Person,
                Charges = c.Charges ?? current.Charges,
                InvolvedParties = c.InvolvedParties ?? current.InvolvedParties,
            },
            ChargingDecided d => current! with
            {
                Status = d.Outcome == ChargingOutcome.Decline ? ArrestStatus.Declined : ArrestStatus.Charged,
                Charges = d.Outcome == ChargingOutcome.Modify ? d.Charges : current.Charges,
                Charging = new ChargingRecord
                {
                    Outcome = d.Outcome,
                    Reason = d.Reason,
                    Attorney = d.Actor.UserName,
                    AgencyCode = d.Actor.AgencyCode,
                    DecidedAt = d.RecordedAt,
                },
            },
            ArraignmentRecorded a => current! with
            {
                Status = ArrestStatus.Arraigned,
                Arraignment = a.Arraignment,
            },
            _ => throw new DomainException(ErrorCodes.Internal, $"Unknown event {e.GetType().Name}."),
        };

        return next with { Version = e.Sequence, LastChangedAt = e.RecordedAt };
    }
}
