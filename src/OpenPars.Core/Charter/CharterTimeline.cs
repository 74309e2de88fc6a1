namespace OpenPars.Core.Charter;

/// <summary>One charter version and the instant it came into force.</summary>
public sealed record CharterPeriod(CharterDocument Charter, DateTimeOffset From);

/// <summary>
/// Which charter was in force when: the adopted charter, then each amendment from the instant its last consent
/// was cast (<see cref="CharterHistory.Timeline"/>). Agreement votes are counted against the charter in force when
/// they were cast, so an amendment never reaches back: a termination stays final, a quorum once reached stays
/// reached. Before the first period (events older than the adoption) the first charter applies.
/// </summary>
public sealed class CharterTimeline
{
    private CharterTimeline(IReadOnlyList<CharterPeriod> periods) => Periods = periods;

    /// <summary>Oldest first; never empty.</summary>
    public IReadOnlyList<CharterPeriod> Periods { get; }

    /// <summary>The embedded Philadelphia charter, in force since ever: for callers that keep no charter history yet.</summary>
    public static CharterTimeline Default { get; } = Of(CharterJson.LoadDefault());

    /// <summary>One charter, in force since ever.</summary>
    public static CharterTimeline Of(CharterDocument charter)
    {
        ArgumentNullException.ThrowIfNull(charter);
        return new([new CharterPeriod(charter, DateTimeOffset.MinValue)]);
    }

    /// <summary>Charters in force from the given instants (sorted here; at least one).</summary>
    public static CharterTimeline From(IEnumerable<CharterPeriod> periods)
    {
        var sorted = periods.OrderBy(p => p.From).ToList();
        return sorted.Count == 0
            ? throw new ArgumentException("A charter timeline holds at least one charter.", nameof(periods))
            : new CharterTimeline(sorted);
    }

    /// <summary>The charter in force at <paramref name="instant"/>.</summary>
    public CharterDocument At(DateTimeOffset instant)
    {
        var inForce = Periods[0].Charter;
        foreach (var period in Periods)
        {
            if (period.From > instant)
            {
                break;
            }

            inForce = period.Charter;
        }

        return inForce;
    }
}

/// <summary>
/// What governs one agreement: the charters over time and the declared kind of its partner agency (null when the
/// agency has none, which holds it to every partner rule). Storage reads the kind from the partner agency.
/// </summary>
public sealed record GoverningCharter(CharterTimeline Charters, string? PartnerKind = null)
{
    /// <summary>The embedded default charter, for a partner of no declared kind.</summary>
    public static GoverningCharter Default { get; } = new(CharterTimeline.Default);

    public CharterDocument At(DateTimeOffset instant) => Charters.At(instant);
}
