using System.Text.RegularExpressions;
using OpenPars.Core.Arrests;
using OpenPars.Core.Common;

namespace OpenPars.Core.Arraignment;

/// <summary>Decides the record of a preliminary arraignment on a charged arrest.</summary>
public static partial class PreliminaryArraignment
{
    public const decimal MaxBailAmount = 100_000_000m;

    public static ArraignmentRecorded Decide(ArrestRecord current, ArraignmentRecord request, Actor actor, DateTimeOffset now)
    {
        var errors = new ValidationErrors();
        PersonRules.ValidateName(request.Magistrate, "magistrate", errors);
        ValidateBail(request, errors);

        // JSON null deserializes past the default: a null list is refused here, never dereferenced.
        var conditions = request.Conditions ?? [];
        errors.Require(request.Conditions is not null, "conditions", "not-null", "conditions is a list (empty when there are none), never null.");
        errors.Require(conditions.Count <= 20, "conditions", "max-items", "At most 20 conditions.");
        for (var i = 0; i < conditions.Count; i++)
        {
            errors.RequireText(conditions[i], $"conditions[{i}]", 300);
        }

        if (!DocketPattern().IsMatch(request.DocketNumber ?? ""))
        {
            errors.Add("docketNumber", "docket-format", "docketNumber must look like MC-51-CR-0001234-2026.");
        }

        var arraignedAt = (request.ArraignedAt ?? now).ToUniversalTime();
        errors.Require(arraignedAt <= now + Booking.ClockSkewAllowance, "arraignedAt", "not-in-future", "arraignedAt must not be in the future.");
        errors.Require(arraignedAt >= current.BookedAt, "arraignedAt", "not-before-booking", "arraignedAt must not be before the booking.");

        if (request.NextHearingDate is { } hearing)
        {
            var arraignedOn = DateOnly.FromDateTime(arraignedAt.UtcDateTime);
            errors.Require(hearing >= arraignedOn, "nextHearingDate", "not-in-past", "nextHearingDate must not be before the arraignment.");
            errors.Require(hearing <= arraignedOn.AddYears(1), "nextHearingDate", "within-a-year", "nextHearingDate must be within a year.");
            errors.RequireText(request.NextHearingCourtroom, "nextHearingCourtroom", 20);
        }
        else
        {
            errors.Add("nextHearingDate", "required", "nextHearingDate is required.");
        }

        if (request.Custody is null)
        {
            errors.Add("custody", "required", "custody is required: held or released.");
        }
        else if (request.BailType == BailType.Denied && request.Custody != CustodyOutcome.Held)
        {
            errors.Add("custody", "denied-means-held", "A person denied bail is held.");
        }

        if (!errors.IsEmpty)
        {
            throw errors.ToException();
        }

        ArrestStatusMachine.EnsureCanMove(current.Status, ArrestStatus.Arraigned, current.ArrestNumber);
        return new ArraignmentRecorded
        {
            ArrestNumber = current.ArrestNumber,
            Sequence = current.Version + 1,
            RecordedAt = now,
            Actor = actor,
            Arraignment = request with { ArraignedAt = arraignedAt, Magistrate = request.Magistrate.Trim() },
        };
    }

    /// <summary>An amount is required exactly for unsecured and monetary bail: whole cents, above zero.</summary>
    private static void ValidateBail(ArraignmentRecord request, ValidationErrors errors)
    {
        if (request.BailType is not { } bailType)
        {
            errors.Add("bailType", "required", "bailType is required: ror, unsecured, monetary, nonmonetary or denied.");
            return;
        }

        var needsAmount = bailType is BailType.Unsecured or BailType.Monetary;
        if (needsAmount && request.BailAmount is not { } amount)
        {
            errors.Add("bailAmount", "required-for-bail-type", "bailAmount is required for unsecured and monetary bail.");
        }
        else if (!needsAmount && request.BailAmount is not null)
        {
            errors.Add("bailAmount", "not-allowed-for-bail-type", "bailAmount is given only for unsecured and monetary bail.");
        }
        else if (request.BailAmount is { } value && (value <= 0 || value > MaxBailAmount || decimal.Round(value, 2) != value))
        {
            errors.Add("bailAmount", "amount-range", $"bailAmount must be above 0, at most {MaxBailAmount:0}, in whole cents.");
        }
    }

    [GeneratedRegex(@"^MC-51-CR-\d{7}-\d{4}$", RegexOptions.CultureInvariant)]
    private static partial Regex DocketPattern();
}
