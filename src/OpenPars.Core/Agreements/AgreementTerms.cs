using System.Globalization;
using System.Text.Json;

namespace OpenPars.Core.Agreements;

/// <summary>One term of an agreement in plain words: a stable key (what a difference between versions is matched
/// on), what a reader calls it, and what the version says.</summary>
/// <param name="Key">Stable within the format: <c>operations</c>, <c>field:person.ssn</c>, <c>quota:records</c>.</param>
/// <param name="Label">The term's name for a person.</param>
/// <param name="Text">What the version says, in words.</param>
public sealed record AgreementTerm(string Key, string Label, string Text);

/// <summary>How one term differs between two versions.</summary>
public enum TermChangeKind
{
    /// <summary>The newer version has a term the older one did not.</summary>
    Added,

    /// <summary>The older version had a term the newer one does not.</summary>
    Removed,

    /// <summary>Both have the term, saying different things.</summary>
    Changed,
}

/// <summary>One difference between two versions: the term, what it said before (null when added) and after (null
/// when removed).</summary>
/// <param name="Kind">Added, removed or changed.</param>
/// <param name="Key">The term's key.</param>
/// <param name="Label">The term's name.</param>
/// <param name="Before">The older version's words, or null.</param>
/// <param name="After">The newer version's words, or null.</param>
public sealed record TermChange(TermChangeKind Kind, string Key, string Label, string? Before, string? After);

/// <summary>
/// An agreement document as a person reads it (the agreements desk, the partner's own terms): every term that grants
/// or limits something, in words, in a fixed order; and the difference between two versions, term by term. Pure: the
/// instants are printed in the agreement's own time zone, nothing is read from the clock.
/// </summary>
public static class AgreementTerms
{
    /// <summary>The terms of <paramref name="document"/>, in reading order. Each granted field is a term of its own,
    /// so a difference names the field added, removed or shown differently.</summary>
    public static IReadOnlyList<AgreementTerm> Describe(AgreementDocument document)
    {
        ArgumentNullException.ThrowIfNull(document);
        var zone = Zone(document.TimeZone);
        var terms = new List<AgreementTerm>
        {
            new("title", "Title", document.Title),
            new("partner", "Partner agency", document.PartnerAgency),
            new("operations", "What the partner may do", List(document.Operations.Select(Operation))),
            new("purposes", "Purposes a request may state", List(document.Purposes)),
        };

        foreach (var field in DisclosableFields.All)
        {
            if (document.Fields.TryGetValue(field.Name, out var mask))
            {
                terms.Add(new($"field:{field.Name}", $"Field {field.Name}", Mask(mask)));
            }
        }

        // Names outside the catalogue are never shown (Grants() withholds them); say so rather than hide the term.
        foreach (var name in document.Fields.Keys.Where(n => !DisclosableFields.All.Any(f => f.Name == n)).Order(StringComparer.Ordinal))
        {
            terms.Add(new($"field:{name}", $"Field {name}", "never disclosed (not a field an agreement can grant)"));
        }

        var scope = document.RowScope;
        terms.Add(new("scope:adults", "People", scope.AdultsOnly ? $"adults only (aged {RowScope.AdultAge} or more at booking)" : "any age"));
        if (scope.BookedWithinDays is { } days)
        {
            terms.Add(new("scope:booked-within", "Arrests booked within", days == 1 ? "the last day" : $"the last {days} days"));
        }

        if (scope.Statuses is { } statuses)
        {
            terms.Add(new("scope:statuses", "Arrest statuses", List(statuses.Select(s => Kebab(s.ToString())))));
        }

        if (scope.ChargeGrades is { } grades)
        {
            terms.Add(new("scope:grades", "At least one charge graded", List(grades.Select(g => g.ToString()))));
        }

        if (scope.OffenseCategories is { } categories)
        {
            terms.Add(new("scope:categories", "At least one charge in the categories", List(categories)));
        }

        if (scope.Districts is { } districts)
        {
            terms.Add(new("scope:districts", "Booked in districts", List(districts)));
        }

        terms.Add(new("criteria", "Search criteria allowed", List(document.AllowedCriteria)));
        terms.Add(new("quota:queries", "Requests per analyst per day", Count(document.Quotas.QueriesPerUserPerDay)));
        terms.Add(new("quota:records", "Records to the agency per day", Count(document.Quotas.RecordsPerAgencyPerDay)));
        if (document.Quotas.MaxActiveWatches is { } watches)
        {
            terms.Add(new("quota:watches", "Active watches at once", Count(watches)));
        }

        terms.Add(new("reason", "A reason with every request", document.ReasonRequired ? "required" : "not required"));
        terms.Add(new("case-number", "A case number with every request", document.CaseNumberRequired ? "required" : "not required"));
        if (document.BlockedReasonTerms.Count > 0)
        {
            terms.Add(new("blocked-terms", "Words a reason may not contain", List(document.BlockedReasonTerms)));
        }

        if (document.AutoSuspendOn is { Count: > 0 } alerts)
        {
            terms.Add(new("auto-suspend", "Suspended at once on the alerts", List(alerts)));
        }

        terms.Add(new("effective", "In force from", Instant(document.EffectiveAt, zone)));
        terms.Add(new("expires", "Expires", Instant(document.ExpiresAt, zone)));
        terms.Add(new("time-zone", "Days counted in", document.TimeZone));
        return terms;
    }

    /// <summary>What changed from <paramref name="older"/> to <paramref name="newer"/>: added and changed terms in the
    /// newer version's order, then removed ones in the older version's order. Equal documents differ in nothing.</summary>
    public static IReadOnlyList<TermChange> Difference(AgreementDocument older, AgreementDocument newer)
    {
        var before = Describe(older);
        var after = Describe(newer);
        var beforeByKey = before.ToDictionary(t => t.Key, StringComparer.Ordinal);
        var afterKeys = after.Select(t => t.Key).ToHashSet(StringComparer.Ordinal);
        var changes = new List<TermChange>();
        foreach (var term in after)
        {
            if (!beforeByKey.TryGetValue(term.Key, out var old))
            {
                changes.Add(new(TermChangeKind.Added, term.Key, term.Label, null, term.Text));
            }
            else if (!string.Equals(old.Text, term.Text, StringComparison.Ordinal))
            {
                changes.Add(new(TermChangeKind.Changed, term.Key, term.Label, old.Text, term.Text));
            }
        }

        changes.AddRange(before.Where(t => !afterKeys.Contains(t.Key)).Select(t => new TermChange(TermChangeKind.Removed, t.Key, t.Label, t.Text, null)));
        return changes;
    }

    /// <summary>When the status next changes after <paramref name="now"/> by the clock alone (a version entering into
    /// force, an expiry, a withdrawal's notice running out), and to what; null when no instant the history names
    /// changes it (a draft, a proposal waiting for votes, a suspension, an ended agreement). <paramref name="statusAt"/>
    /// is the agreement's status at an instant (the calculator over its events).</summary>
    public static (DateTimeOffset At, AgreementStatus Status)? NextChange(IEnumerable<AgreementEvent> events, Func<DateTimeOffset, AgreementStanding> statusAt, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(events);
        ArgumentNullException.ThrowIfNull(statusAt);
        var current = statusAt(now).Status;
        var candidates = new SortedSet<DateTimeOffset>();
        foreach (var e in events)
        {
            switch (e)
            {
                case AgreementDrafted drafted:
                    candidates.Add(drafted.Document.EffectiveAt);
                    candidates.Add(drafted.Document.ExpiresAt);
                    break;
                case AgreementVoteCast { NoticeEffectiveAt: { } notice }:
                    candidates.Add(notice);
                    break;
            }
        }

        foreach (var at in candidates.Where(c => c > now))
        {
            if (statusAt(at).Status is var status && status != current)
            {
                return (at, status);
            }
        }

        return null;
    }

    /// <summary>A mask in words.</summary>
    public static string Mask(FieldMask mask) => mask switch
    {
        FieldMask.Full => "shown in full",
        FieldMask.Last4 => "last four digits only",
        FieldMask.Year => "year only",
        FieldMask.Initial => "initial only",
        _ => "withheld",
    };

    /// <summary>An instant in <paramref name="zone"/>, with the zone's offset: <c>2026-12-23 09:00 (UTC−05:00)</c>.</summary>
    public static string Instant(DateTimeOffset instant, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = TimeZoneInfo.ConvertTime(instant, zone);
        var offset = local.Offset;
        var sign = offset < TimeSpan.Zero ? "−" : "+";
        return local.ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture) + $" (UTC{sign}{offset.Duration():hh\\:mm})";
    }

    /// <summary>The agreement's zone, UTC when the name is unknown to this machine.</summary>
    public static TimeZoneInfo Zone(string name) =>
        TimeZoneInfo.TryFindSystemTimeZoneById(name, out var zone) ? zone : TimeZoneInfo.Utc;

    private static string Operation(PartnerOperation operation) => operation switch
    {
        PartnerOperation.Search => "search",
        PartnerOperation.Read => "read one arrest by number",
        PartnerOperation.Watch => "watch an identified person",
        _ => operation.ToString(),
    };

    private static string List(IEnumerable<string> items) => items.ToList() is { Count: > 0 } all ? string.Join(", ", all) : "none";

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Kebab(string name) => JsonNamingPolicy.KebabCaseLower.ConvertName(name);
}
