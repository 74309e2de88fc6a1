namespace OpenPars.Core.Oversight;

/// <summary>
/// Born in the United States or outside it, from the free-text country of birth. The fifty states, DC and the
/// inhabited territories (Puerto Rico, Guam, the U.S. Virgin Islands, American Samoa, the Northern Mariana
/// Islands) are the United States: people born there are U.S.-born, and counting Puerto Rico as abroad would
/// make Philadelphia's large Puerto Rican community look foreign-born. A blank or "unknown" country is
/// <see cref="BirthOrigin.Unknown"/>, which the measure leaves out of both shares (docs/oversight.md).
/// </summary>
public static class BirthCountries
{
    private static readonly HashSet<string> UnitedStatesNames = new(StringComparer.Ordinal)
    {
        "unitedstates", "unitedstatesofamerica", "us", "usa", "america", "theunitedstates", "estadosunidos",
        "puertorico", "guam", "usvirginislands", "virginislandsoftheunitedstates", "unitedstatesvirginislands",
        "americansamoa", "northernmarianaislands", "commonwealthofthenorthernmarianaislands", "districtofcolumbia",
    };

    private static readonly HashSet<string> UnknownNames = new(StringComparer.Ordinal)
    {
        "", "unknown", "unk", "na", "none", "notrecorded", "notstated", "refused", "xx",
    };

    public static BirthOrigin OriginOf(string? country)
    {
        var folded = TextFolding.Fold(country);
        if (UnknownNames.Contains(folded))
        {
            return BirthOrigin.Unknown;
        }

        return UnitedStatesNames.Contains(folded) ? BirthOrigin.UnitedStates : BirthOrigin.OutsideUnitedStates;
    }
}
