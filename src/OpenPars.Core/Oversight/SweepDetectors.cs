using System.Globalization;
using OpenPars.Core.Agreements;
using OpenPars.Core.Common;

namespace OpenPars.Core.Oversight;

/// <summary>
/// The sweep and probe detectors over partner requests (docs/oversight.md § Sweeps and probes). Pure: the
/// wiring hands in the observations of the last <see cref="SweepThresholds.Lookback"/> after each partner
/// request and records the alerts whose <see cref="OversightAlert.Key"/> it has not seen. Each alert is raised
/// at the request that crossed its rule; a kind fires at most once per subject (user or agency) and local day.
/// </summary>
public static class SweepDetectors
{
    public static IReadOnlyList<OversightAlert> Evaluate(IEnumerable<PartnerAccessObservation> observations, DateTimeOffset now, TimeZoneInfo zone, SweepThresholds? thresholds = null)
    {
        thresholds ??= SweepThresholds.Default;
        var ordered = observations.Where(o => o.Time <= now).OrderBy(o => o.Time).ThenBy(o => o.EntryIndex).ToList();
        var alerts = new List<OversightAlert>();
        foreach (var agency in ordered.GroupBy(o => o.AgencyCode, StringComparer.Ordinal))
        {
            var agencyObservations = agency.ToList();
            alerts.AddRange(DailyProbing(agencyObservations, zone, thresholds, perUser: false));
            alerts.AddRange(Enumeration(agencyObservations, zone, thresholds, AlertKind.SurnameEnumeration));
            alerts.AddRange(Enumeration(agencyObservations, zone, thresholds, AlertKind.DateOfBirthEnumeration));
            alerts.AddRange(ArrestNumberRuns(agencyObservations, zone, thresholds));
            foreach (var user in agencyObservations.GroupBy(o => o.UserId))
            {
                var userObservations = user.ToList();
                alerts.AddRange(DailyProbing(userObservations, zone, thresholds, perUser: true));
                alerts.AddRange(Fishing(userObservations, zone, thresholds));
                alerts.AddRange(OutOfHours(userObservations, zone, thresholds));
            }
        }

        return [.. alerts.OrderBy(a => a.RaisedAt).ThenBy(a => a.Key, StringComparer.Ordinal)];
    }

    /// <summary>Outside Monday–Friday [start, end) local time (weekends count when so configured).</summary>
    public static bool IsOutOfHours(DateTimeOffset instant, TimeZoneInfo zone, SweepThresholds thresholds)
    {
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        if (thresholds.WeekendsAreOutOfHours && local.DayOfWeek is DayOfWeek.Saturday or DayOfWeek.Sunday)
        {
            return true;
        }

        var time = TimeOnly.FromDateTime(local.DateTime);
        return time < thresholds.WorkdayStart || time >= thresholds.WorkdayEnd;
    }

    public static DateOnly LocalDay(DateTimeOffset instant, TimeZoneInfo zone) =>
        DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    // Rule: a day is heavy once the subject has been disclosed the per-day number of distinct persons; the alert
    // is raised by the disclosure that makes today heavy when, with it, the lookback holds the required heavy days.
    private static IEnumerable<OversightAlert> DailyProbing(List<PartnerAccessObservation> observations, TimeZoneInfo zone, SweepThresholds t, bool perUser)
    {
        var perDay = perUser ? t.ProbingUserPersonsPerDay : t.ProbingAgencyPersonsPerDay;
        var personsByDay = new Dictionary<DateOnly, HashSet<string>>();
        var entriesByDay = new Dictionary<DateOnly, List<long>>();
        var heavyDays = new SortedSet<DateOnly>();
        foreach (var o in observations.Where(o => o.Allowed && o.Disclosed.Count > 0))
        {
            var day = LocalDay(o.Time, zone);
            var persons = personsByDay.TryGetValue(day, out var set) ? set : personsByDay[day] = new HashSet<string>(StringComparer.Ordinal);
            (entriesByDay.TryGetValue(day, out var entries) ? entries : entriesByDay[day] = []).Add(o.EntryIndex);
            var wasHeavy = persons.Count >= perDay;
            foreach (var record in o.Disclosed)
            {
                persons.Add(record.PersonKey);
            }

            if (wasHeavy || persons.Count < perDay)
            {
                continue;
            }

            heavyDays.Add(day);
            var recent = heavyDays.Where(d => d > day.AddDays(-t.ProbingLookbackDays) && d <= day).ToList();
            if (recent.Count < t.ProbingHeavyDays)
            {
                continue;
            }

            var figures = Figures(
                ("heavyDays", recent.Count), ("lookbackDays", t.ProbingLookbackDays), ("requiredHeavyDays", t.ProbingHeavyDays),
                ("personsPerDayThreshold", perDay), ("personsToday", persons.Count));
            var evidence = recent.SelectMany(d => entriesByDay[d]).Order().ToList();
            yield return Alert(AlertKind.DailyProbing, o, day, perUser, evidence, figures,
                $"{Subject(o, perUser)} was disclosed at least {perDay} distinct persons a day on {recent.Count} of the last {t.ProbingLookbackDays} days.");
        }
    }

    // Rule: one coordinate of a lastName + dateOfBirth search held fixed while the other varies: that many
    // distinct values of the varying one within the window, by the agency (any of its users, allowed or refused).
    private static IEnumerable<OversightAlert> Enumeration(List<PartnerAccessObservation> observations, TimeZoneInfo zone, SweepThresholds t, AlertKind kind)
    {
        // Each search joins the group of its fixed coordinate; the window is looked for in that group only.
        var groups = new Dictionary<string, List<(PartnerAccessObservation Observation, string Varying)>>(StringComparer.Ordinal);
        var alertedDays = new HashSet<DateOnly>();
        foreach (var o in observations)
        {
            if (o.Criterion(SearchCriteria.LastName) is not { } lastName || o.Criterion(SearchCriteria.DateOfBirth) is not { } dateOfBirth)
            {
                continue;
            }

            var (fixedValue, varying) = kind == AlertKind.SurnameEnumeration
                ? (NormalizedDate(dateOfBirth), TextFolding.Fold(lastName))
                : (TextFolding.Fold(lastName), NormalizedDate(dateOfBirth));
            var searches = groups.TryGetValue(fixedValue, out var list) ? list : groups[fixedValue] = [];
            searches.Add((o, varying));
            var day = LocalDay(o.Time, zone);
            if (searches.Count < t.EnumerationVariants || alertedDays.Contains(day))
            {
                continue;
            }

            var group = InWindow(searches, s => s.Observation.Time, o.Time - t.EnumerationWindow).ToList();
            var variants = group.Select(s => s.Varying).Distinct(StringComparer.Ordinal).Count();
            if (variants < t.EnumerationVariants)
            {
                continue;
            }

            alertedDays.Add(day);
            var users = group.Select(s => s.Observation.UserId).Distinct().Count();
            var varied = kind == AlertKind.SurnameEnumeration ? "last names with one date of birth" : "dates of birth with one last name";
            yield return Alert(kind, o, day, perUser: users == 1, [.. group.Select(s => s.Observation.EntryIndex).Order()],
                Figures(("variants", variants), ("threshold", t.EnumerationVariants), ("windowHours", (int)t.EnumerationWindow.TotalHours), ("requests", group.Count), ("users", users)),
                $"{Subject(o, users == 1)} tried {variants} distinct {varied} within {t.EnumerationWindow.TotalHours:0} hours.");
        }
    }

    // Rule: the distinct arrest numbers of one year asked for within the window hold a chain of the run length
    // in which each number is within the maximum gap of the next.
    private static IEnumerable<OversightAlert> ArrestNumberRuns(List<PartnerAccessObservation> observations, TimeZoneInfo zone, SweepThresholds t)
    {
        var asked = new List<(PartnerAccessObservation Observation, int Year, long Sequence)>();
        var alertedDays = new HashSet<DateOnly>();
        foreach (var o in observations)
        {
            if (!TryParseArrestNumber(o.Criterion(SearchCriteria.ArrestNumber), out var year, out var sequence))
            {
                continue;
            }

            asked.Add((o, year, sequence));
            var day = LocalDay(o.Time, zone);
            if (alertedDays.Contains(day))
            {
                continue;
            }

            var window = InWindow(asked, a => a.Observation.Time, o.Time - t.ArrestRunWindow).Where(a => a.Year == year).ToList();
            var chain = ChainAround(window.Select(a => a.Sequence).Distinct().Order().ToList(), sequence, t.ArrestRunMaxGap);
            if (chain.Count < t.ArrestRunLength)
            {
                continue;
            }

            alertedDays.Add(day);
            var inChain = window.Where(a => chain.Contains(a.Sequence)).ToList();
            var users = inChain.Select(a => a.Observation.UserId).Distinct().Count();
            yield return Alert(AlertKind.ArrestNumberRun, o, day, perUser: users == 1, [.. inChain.Select(a => a.Observation.EntryIndex).Distinct().Order()],
                Figures(("runLength", chain.Count), ("threshold", t.ArrestRunLength), ("maxGap", t.ArrestRunMaxGap), ("span", (int)(chain.Max - chain.Min)), ("users", users)),
                $"{Subject(o, users == 1)} asked for {chain.Count} nearly consecutive arrest numbers (gaps of at most {t.ArrestRunMaxGap}) within {t.ArrestRunWindow.TotalHours:0} hours.");
        }
    }

    // Rule: within the window, the user's requests reach the minimum and the share of them that found nothing
    // (an allowed request with no record, or a read refused as not found) reaches the threshold.
    private static IEnumerable<OversightAlert> Fishing(List<PartnerAccessObservation> observations, TimeZoneInfo zone, SweepThresholds t)
    {
        var counted = observations.Where(o => o.Allowed || o.RefusalCode == ErrorCodes.ArrestNotFound).ToList();
        var alertedDays = new HashSet<DateOnly>();
        for (var i = 0; i < counted.Count; i++)
        {
            var o = counted[i];
            var day = LocalDay(o.Time, zone);
            if (alertedDays.Contains(day) || !FoundNothing(o))
            {
                continue;
            }

            var window = InWindow(counted, w => w.Time, o.Time - t.FishingWindow, i + 1).ToList();
            var empty = window.Count(FoundNothing);
            var share = (double)empty / window.Count;
            if (window.Count < t.FishingMinimumRequests || share < t.FishingZeroShare)
            {
                continue;
            }

            alertedDays.Add(day);
            yield return Alert(AlertKind.ZeroResultFishing, o, day, perUser: true, [.. window.Where(FoundNothing).Select(w => w.EntryIndex)],
                Figures(("requests", window.Count), ("zeroResult", empty), ("minimumRequests", t.FishingMinimumRequests), ("windowHours", (int)t.FishingWindow.TotalHours))
                    .With("zeroShare", share.ToString("0.00", CultureInfo.InvariantCulture))
                    .With("zeroShareThreshold", t.FishingZeroShare.ToString("0.00", CultureInfo.InvariantCulture)),
                $"{Subject(o, true)} found nothing in {empty} of {window.Count} requests within {t.FishingWindow.TotalHours:0} hours.");
        }
    }

    // Rule: that many of the user's requests outside working hours within the burst window.
    private static IEnumerable<OversightAlert> OutOfHours(List<PartnerAccessObservation> observations, TimeZoneInfo zone, SweepThresholds t)
    {
        var outside = observations.Where(o => IsOutOfHours(o.Time, zone, t)).ToList();
        var alertedDays = new HashSet<DateOnly>();
        for (var i = 0; i < outside.Count; i++)
        {
            var o = outside[i];
            var day = LocalDay(o.Time, zone);
            if (alertedDays.Contains(day))
            {
                continue;
            }

            var burst = InWindow(outside, b => b.Time, o.Time - t.OutOfHoursWindow, i + 1).ToList();
            if (burst.Count < t.OutOfHoursBurst)
            {
                continue;
            }

            alertedDays.Add(day);
            yield return Alert(AlertKind.OutOfHoursBurst, o, day, perUser: true, [.. burst.Select(b => b.EntryIndex)],
                Figures(("requests", burst.Count), ("threshold", t.OutOfHoursBurst), ("windowMinutes", (int)t.OutOfHoursWindow.TotalMinutes)),
                $"{Subject(o, true)} made {burst.Count} requests outside working hours within {t.OutOfHoursWindow.TotalMinutes:0} minutes.");
        }
    }

    /// <summary>The items of a time-ordered list (its first <paramref name="count"/>, default all) after
    /// <paramref name="after"/>, found by walking back from the end: windows are short, histories are not.</summary>
    private static IEnumerable<T> InWindow<T>(List<T> ordered, Func<T, DateTimeOffset> timeOf, DateTimeOffset after, int? count = null)
    {
        var end = count ?? ordered.Count;
        var start = end;
        while (start > 0 && timeOf(ordered[start - 1]) > after)
        {
            start--;
        }

        for (var i = start; i < end; i++)
        {
            yield return ordered[i];
        }
    }

    /// <summary>The longest run of sorted numbers containing <paramref name="around"/> with gaps of at most maxGap.</summary>
    private static (int Count, long Min, long Max) ChainAround(List<long> sorted, long around, int maxGap)
    {
        var at = sorted.BinarySearch(around);
        int low = at, high = at;
        while (low > 0 && sorted[low] - sorted[low - 1] <= maxGap)
        {
            low--;
        }

        while (high < sorted.Count - 1 && sorted[high + 1] - sorted[high] <= maxGap)
        {
            high++;
        }

        return (high - low + 1, sorted[low], sorted[high]);
    }

    private static bool Contains(this (int Count, long Min, long Max) chain, long sequence) => sequence >= chain.Min && sequence <= chain.Max;

    private static bool FoundNothing(PartnerAccessObservation o) => o.Allowed ? o.ResultCount == 0 : o.RefusalCode == ErrorCodes.ArrestNotFound;

    /// <summary>"26-0004711" → (26, 4711). Whitespace is ignored; anything else is not an arrest number.</summary>
    public static bool TryParseArrestNumber(string? text, out int year, out long sequence)
    {
        year = 0;
        sequence = 0;
        var trimmed = text?.Trim();
        if (trimmed is null || trimmed.Length < 4 || trimmed[2] != '-')
        {
            return false;
        }

        return int.TryParse(trimmed.AsSpan(0, 2), NumberStyles.None, CultureInfo.InvariantCulture, out year)
            && long.TryParse(trimmed.AsSpan(3), NumberStyles.None, CultureInfo.InvariantCulture, out sequence);
    }

    /// <summary>"1990-04-01" and " 1990-4-1 " are one date; anything unparsable is compared as folded text.</summary>
    private static string NormalizedDate(string text) =>
        DateOnly.TryParse(text.Trim(), CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)
            : TextFolding.Fold(text);

    private static string Subject(PartnerAccessObservation o, bool perUser) => perUser ? $"User {o.UserName} ({o.AgencyCode})" : $"Agency {o.AgencyCode}";

    private static OversightAlert Alert(AlertKind kind, PartnerAccessObservation at, DateOnly day, bool perUser, IReadOnlyList<long> evidence, Dictionary<string, string> figures, string summary)
    {
        var subject = perUser ? $"user:{at.UserId.ToString(CultureInfo.InvariantCulture)}" : $"agency:{at.AgencyCode}";
        var key = $"{AlertKinds.Name(kind)}:{at.AgencyCode}:{subject}:{day:yyyy-MM-dd}";
        return new OversightAlert(kind, key, at.Time, at.AgencyCode, at.AgreementId, perUser ? at.UserId : null, perUser ? at.UserName : null, summary, evidence, figures);
    }

    private static Dictionary<string, string> Figures(params (string Name, long Value)[] figures) =>
        figures.ToDictionary(f => f.Name, f => f.Value.ToString(CultureInfo.InvariantCulture), StringComparer.Ordinal);

    private static Dictionary<string, string> With(this Dictionary<string, string> figures, string name, string value)
    {
        figures[name] = value;
        return figures;
    }
}
