using OpenPars.Core.Common;

namespace OpenPars.Core.Arrests;

/// <summary>Decides a correction: the same rules as booking for each replaced section, and a reason, always.</summary>
public static class Correction
{
    public static ArrestCorrected Decide(ArrestRecord current, CorrectArrest request, Actor actor, ReferenceData reference, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        errors.RequireText(request.Reason, "reason", 1000);
        if (request.Reason is { Length: > 0 and < 5 })
        {
            errors.Add("reason", "min-length", "reason must say why, in at least 5 characters.");
        }

        var changed = new List<string>();
        string? district = null;
        if (request.District is not null)
        {
            district = Booking.ValidateDistrict(request.District, "district", reference, errors);
            changed.Add("district");
        }

        if (request.ArrestingOfficer is not null)
        {
            Booking.ValidateOfficer(request.ArrestingOfficer, "arrestingOfficer", errors);
            changed.Add("arrestingOfficer");
        }

        var incident = request.Incident;
        if (incident is not null)
        {
            incident = Booking.ValidateIncident(incident, "incident", current.BookedAt, errors);
            changed.Add("incident");
        }

        if (request.Person is not null)
        {
            PersonRules.Validate(request.Person, "person", now, errors);
            Booking.ValidateNotBeforeBirth(request.Person.DateOfBirth, current.BookedAt, "person.dateOfBirth", errors);
            changed.Add("person");
        }

        List<Charge>? charges = null;
        if (request.Charges is not null)
        {
            if (current.Status != ArrestStatus.AwaitingCharging)
            {
                errors.Add("charges", "charges-after-charging", "Charges can be corrected only while awaiting charging; afterwards the DA's decision sets them.");
            }

            charges = ChargeRules.ValidateAndNormalize(request.Charges, "charges", reference.Statutes, errors);
            changed.Add("charges");
        }

        if (request.InvolvedParties is not null)
        {
            Booking.ValidateInvolvedParties(request.InvolvedParties, "involvedParties", errors);
            changed.Add("involvedParties");
        }

        if (changed.Count == 0)
        {
            errors.Add("", "nothing-to-correct", "A correction must replace at least one section.");
        }

        if (!errors.IsEmpty)
        {
            throw errors.ToException();
        }

        return new ArrestCorrected
        {
            ArrestNumber = current.ArrestNumber,
            Sequence = current.Version + 1,
            RecordedAt = now,
            Actor = actor,
            Reason = request.Reason.Trim(),
            District = district,
            ArrestingOfficer = request.ArrestingOfficer,
            Incident = incident,
            Person = request.Person,
            Charges = charges,
            InvolvedParties = request.InvolvedParties,
            ChangedSections = changed,
        };
    }
}
