using OpenPars.Core.Arrests.Reference;

namespace OpenPars.Core.Arrests;

/// <summary>The jurisdiction's lists that validation checks against: statutes and police districts. Data, not code.</summary>
public sealed record ReferenceData(StatuteCatalog Statutes, DistrictCatalog Districts)
{
    public static ReferenceData LoadDefault() => new(StatuteCatalog.LoadDefault(), DistrictCatalog.LoadDefault());
}
