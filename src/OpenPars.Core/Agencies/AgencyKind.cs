namespace OpenPars.Core.Agencies;

/// <summary>The three stakeholders share the database and govern agreements; a partner only sees what an agreement grants.</summary>
public enum AgencyKind
{
    Police,
    DistrictAttorney,
    Courts,
    Partner,
}

public static class AgencyKinds
{
    public static string ToCode(AgencyKind kind) => kind switch
    {
        AgencyKind.Police => "police",
        AgencyKind.DistrictAttorney => "district-attorney",
        AgencyKind.Courts => "courts",
        AgencyKind.Partner => "partner",
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public static bool TryParse(string? code, out AgencyKind kind)
    {
        foreach (var candidate in Enum.GetValues<AgencyKind>())
        {
            if (string.Equals(ToCode(candidate), code, StringComparison.Ordinal))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }

    public static bool IsStakeholder(AgencyKind kind) => kind != AgencyKind.Partner;
}
