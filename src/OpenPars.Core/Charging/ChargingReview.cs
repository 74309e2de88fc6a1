using OpenPars.Core.Arrests;
using OpenPars.Core.Common;

namespace OpenPars.Core.Charging;

/// <summary>Decides the DA's charging decision on an arrest awaiting charging.</summary>
public static class ChargingReview
{
    public static ChargingDecided Decide(ArrestRecord current, ChargingDecision request, Actor actor, ReferenceData reference, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        List<Charge> charges = [];
        switch (request.Outcome)
        {
            case null:
                errors.Add("outcome", "required", "outcome is required: approve, modify or decline.");
                break;
            case ChargingOutcome.Modify:
                charges = ChargeRules.ValidateAndNormalize(request.Charges, "charges", reference.Statutes, errors);
                break;
            case ChargingOutcome.Approve when request.Charges is not null:
            case ChargingOutcome.Decline when request.Charges is not null:
                errors.Add("charges", "charges-only-with-modify", "charges are given only with outcome modify.");
                break;
        }

        if (request.Outcome == ChargingOutcome.Decline)
        {
            errors.RequireText(request.Reason, "reason", 1000);
        }
        else
        {
            errors.OptionalText(request.Reason, "reason", 1000);
        }

        if (!errors.IsEmpty)
        {
            throw errors.ToException();
        }

        var target = request.Outcome == ChargingOutcome.Decline ? ArrestStatus.Declined : ArrestStatus.Charged;
        ArrestStatusMachine.EnsureCanMove(current.Status, target, current.ArrestNumber);

        return new ChargingDecided
        {
            ArrestNumber = current.ArrestNumber,
            Sequence = current.Version + 1,
            RecordedAt = now,
            Actor = actor,
            Outcome = request.Outcome!.Value,
            Charges = charges,
            Reason = request.Reason?.Trim(),
        };
    }
}
