using System.Text.RegularExpressions;
using OpenPars.Core.Agencies;
using OpenPars.Core.Common;

namespace OpenPars.Core.Arrests;

/// <summary>A deployment's booking settings.</summary>
public sealed record BookingOptions
{
    /// <summary>How far in the past a booking may be entered without a records admin's backdating reason.</summary>
    public TimeSpan BackdatingWindow { get; init; } = TimeSpan.FromDays(7);

    public static BookingOptions Default { get; } = new();
}

/// <summary>Turns a booking request into the first event of an arrest, or says every rule it breaks.</summary>
public static partial class Booking
{
    /// <summary>Clocks on booking terminals drift; a booking up to five minutes ahead of ours is accepted.</summary>
    public static readonly TimeSpan ClockSkewAllowance = TimeSpan.FromMinutes(5);

    public const int MinBackdatingReasonLength = 10;
    public const int MaxBackdatingReasonLength = 1000;

    /// <param name="actorRoles">The booking user's roles: only a records admin may backdate beyond the window.</param>
    /// <param name="request">The booking as submitted.</param>
    /// <param name="arrestNumber">The number the store reserved for it.</param>
    /// <param name="actor">The booking user.</param>
    /// <param name="reference">The statutes and districts charges and districts must come from.</param>
    /// <param name="now">The instant of booking; a future or backdated booked-at is judged against it.</param>
    /// <param name="options">Limits other than the defaults (tests, other jurisdictions).</param>
    public static ArrestBooked Decide(
        BookArrest request, string arrestNumber, Actor actor, IReadOnlyCollection<string> actorRoles, ReferenceData reference, DateTimeOffset now,
        BookingOptions? options = null)
    {
        var errors = new ValidationErrors();
        var booked = Validate(request, actorRoles, reference, now, errors, options);
        if (!errors.IsEmpty)
        {
            throw errors.ToException();
        }

        return booked with { ArrestNumber = arrestNumber, Sequence = 1, RecordedAt = now, Actor = actor };
    }

    /// <summary>Validates and normalizes; the result carries no number, sequence or actor yet.</summary>
    public static ArrestBooked Validate(
        BookArrest request, IReadOnlyCollection<string> actorRoles, ReferenceData reference, DateTimeOffset now, ValidationErrors errors, BookingOptions? options = null)
    {
        var district = ValidateDistrict(request.District, "district", reference, errors);
        var bookedAt = (request.BookedAt ?? now).ToUniversalTime();
        errors.Require(bookedAt <= now + ClockSkewAllowance, "bookedAt", "not-in-future", "bookedAt must not be more than 5 minutes in the future.");
        var backdating = ValidateBackdating(request, bookedAt, actorRoles, now, options ?? BookingOptions.Default, errors);
        ValidateOfficer(request.ArrestingOfficer, "arrestingOfficer", errors);
        var incident = ValidateIncident(request.Incident, "incident", bookedAt, errors);
        PersonRules.Validate(request.Person, "person", now, errors);
        ValidateNotBeforeBirth(request.Person?.DateOfBirth, bookedAt, "bookedAt", errors);
        var charges = ChargeRules.ValidateAndNormalize(request.Charges, "charges", reference.Statutes, errors);
        ValidateInvolvedParties(request.InvolvedParties, "involvedParties", errors);

        return new ArrestBooked
        {
            District = district,
            BookedAt = bookedAt,
            BackdatingReason = backdating,
            ArrestingOfficer = request.ArrestingOfficer ?? new Officer(),
            Incident = incident,
            Person = request.Person ?? new Person(),
            Charges = charges,
            InvolvedParties = request.InvolvedParties ?? [],
        };
    }

    /// <summary>
    /// Rule (issue 9, "Booking time is plausible"): a booking more than the window in the past needs a backdating
    /// reason, and only a records admin may give one. Returns the reason to record, or null when none is needed
    /// (a reason given for a booking inside the window is not recorded: nothing was backdated).
    /// </summary>
    public static string? ValidateBackdating(
        BookArrest request, DateTimeOffset bookedAt, IReadOnlyCollection<string> actorRoles, DateTimeOffset now, BookingOptions options, ValidationErrors errors)
    {
        ArgumentNullException.ThrowIfNull(actorRoles);
        if (bookedAt >= now - options.BackdatingWindow)
        {
            return null;
        }

        var reason = request.BackdatingReason?.Trim();
        var days = options.BackdatingWindow.TotalDays.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
        if (string.IsNullOrEmpty(reason))
        {
            errors.Add("bookedAt", "backdating-reason-required", $"bookedAt is more than {days} days in the past; a records admin must state a backdatingReason.");
            return null;
        }

        if (!actorRoles.Contains(Roles.RecordsAdmin, StringComparer.Ordinal))
        {
            errors.Add("backdatingReason", "backdating-records-admin-only", $"Only a records admin may enter a booking more than {days} days in the past.");
            return null;
        }

        if (reason.Length < MinBackdatingReasonLength || reason.Length > MaxBackdatingReasonLength)
        {
            errors.Add("backdatingReason", "backdating-reason-length",
                $"backdatingReason must say why, in {MinBackdatingReasonLength} to {MaxBackdatingReasonLength} characters.");
            return null;
        }

        return reason;
    }

    /// <summary>Rule: nobody is booked before they were born (UTC date of booking against the date of birth).</summary>
    public static void ValidateNotBeforeBirth(DateOnly? dateOfBirth, DateTimeOffset bookedAt, string field, ValidationErrors errors)
    {
        if (dateOfBirth is { } dob && DateOnly.FromDateTime(bookedAt.UtcDateTime) < dob)
        {
            errors.Add(field, "not-before-birth", $"{field} must not be before the person's date of birth.");
        }
    }

    public static string ValidateDistrict(string? district, string field, ReferenceData reference, ValidationErrors errors)
    {
        if (string.IsNullOrWhiteSpace(district))
        {
            errors.Add(field, "required", $"{field} is required.");
            return "";
        }

        if (!reference.Districts.TryFind(district, out var found))
        {
            errors.Add(field, "unknown-district", $"{field} is not a district of {reference.Districts.Jurisdiction}.");
            return district;
        }

        return found.Code;
    }

    public static void ValidateOfficer(Officer? officer, string path, ValidationErrors errors)
    {
        if (officer is null)
        {
            errors.Add(path, "required", $"{path} is required.");
            return;
        }

        if (!BadgePattern().IsMatch(officer.BadgeNumber ?? ""))
        {
            errors.Add($"{path}.badgeNumber", "badge-format", $"{path}.badgeNumber must be 1 to 10 letters or digits.");
        }

        PersonRules.ValidateName(officer.Name, $"{path}.name", errors);
    }

    public static Incident ValidateIncident(Incident? incident, string path, DateTimeOffset bookedAt, ValidationErrors errors)
    {
        if (incident is null)
        {
            errors.Add(path, "required", $"{path} is required.");
            return new Incident();
        }

        errors.RequireText(incident.OffenseLocation, $"{path}.offenseLocation", 200);
        errors.OptionalText(incident.Narrative, $"{path}.narrative", 4000);
        if (incident.OccurredAt is not { } occurredAt)
        {
            errors.Add($"{path}.occurredAt", "required", $"{path}.occurredAt is required.");
            return incident;
        }

        errors.Require(occurredAt <= bookedAt, $"{path}.occurredAt", "not-after-booking", $"{path}.occurredAt must not be after bookedAt.");
        return incident with { OccurredAt = occurredAt.ToUniversalTime() };
    }

    public static void ValidateInvolvedParties(IReadOnlyList<InvolvedParty>? parties, string path, ValidationErrors errors)
    {
        if (parties is null)
        {
            return;
        }

        errors.Require(parties.Count <= 50, path, "max-items", $"At most 50 {path}.");
        for (var i = 0; i < parties.Count; i++)
        {
            var field = $"{path}[{i}]";
            if (parties[i] is not { } party)
            {
                errors.Add(field, "required", $"{field} must be a party.");
                continue;
            }

            errors.Require(party.Role is not null, $"{field}.role", "required", $"{field}.role is required (victim or witness).");
            PersonRules.ValidateName(party.Name, $"{field}.name", errors);
            errors.OptionalText(party.Contact, $"{field}.contact", 200);
        }
    }

    [GeneratedRegex("^[A-Za-z0-9]{1,10}$", RegexOptions.CultureInvariant)]
    private static partial Regex BadgePattern();
}
