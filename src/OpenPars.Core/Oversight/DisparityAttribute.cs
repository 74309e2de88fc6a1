using OpenPars.Core.Arrests;

namespace OpenPars.Core.Oversight;

/// <summary>
/// One attribute whose share is compared, e.g. <c>birthplace:outside-united-states</c> or <c>race:black</c>.
/// A person whose value for the <see cref="Family"/> is unknown counts in neither side's share of any attribute
/// of that family (their number is reported as <see cref="DisparityRow.DisclosedUnknown"/> and
/// <see cref="DisparityRow.BenchmarkUnknown"/>): counting them as "not the attribute" would dilute a real
/// disparity, and an agency that stops recording birthplaces could hide one.
/// </summary>
public sealed record DisparityAttribute(string Family, string Value, Func<OversightPerson, bool?> Has)
{
    public string Name => Family + ":" + Value;

    public const string BirthplaceFamily = "birthplace";
    public const string RaceFamily = "race";
    public const string EthnicityFamily = "ethnicity";
    public const string SexFamily = "sex";
    public const string AgeBandFamily = "age-band";

    /// <summary>Age bands at booking: [min, max] inclusive, max null = no upper bound.</summary>
    public static IReadOnlyList<(string Name, int Min, int? Max)> AgeBands { get; } =
    [
        ("under-18", 0, 17), ("18-24", 18, 24), ("25-34", 25, 34), ("35-44", 35, 44), ("45-54", 45, 54), ("55-64", 55, 64), ("65-and-over", 65, null),
    ];

    /// <summary>Every attribute the measure reports, in a stable order.</summary>
    public static IReadOnlyList<DisparityAttribute> All { get; } = Build();

    private static List<DisparityAttribute> Build()
    {
        var all = new List<DisparityAttribute>
        {
            new(BirthplaceFamily, "outside-united-states", p => p.Origin switch
            {
                BirthOrigin.OutsideUnitedStates => true,
                BirthOrigin.UnitedStates => false,
                _ => null,
            }),
        };
        foreach (var race in Enum.GetValues<Race>().Where(r => r != Race.Unknown))
        {
            all.Add(new(RaceFamily, Kebab(race.ToString()), p => p.Race is null or Race.Unknown ? null : p.Race == race));
        }

        foreach (var ethnicity in Enum.GetValues<Ethnicity>().Where(e => e != Ethnicity.Unknown))
        {
            all.Add(new(EthnicityFamily, Kebab(ethnicity.ToString()), p => p.Ethnicity is null or Ethnicity.Unknown ? null : p.Ethnicity == ethnicity));
        }

        foreach (var sex in Enum.GetValues<Sex>().Where(s => s != Sex.Unknown))
        {
            all.Add(new(SexFamily, Kebab(sex.ToString()), p => p.Sex is null or Sex.Unknown ? null : p.Sex == sex));
        }

        foreach (var (name, min, max) in AgeBands)
        {
            all.Add(new(AgeBandFamily, name, p => p.AgeAtBooking is { } age ? age >= min && (max is null || age <= max) : null));
        }

        return all;
    }

    private static string Kebab(string pascal) =>
        string.Concat(pascal.Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
}
