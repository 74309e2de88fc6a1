namespace OpenPars.Core.Agencies;

/// <summary>The roles of README.md § Roles, by their wire names.</summary>
public static class Roles
{
    public const string BookingOfficer = "booking-officer";
    public const string RecordsAdmin = "records-admin";
    public const string ChargingAttorney = "charging-attorney";
    public const string Magistrate = "magistrate";
    public const string StakeholderRepresentative = "stakeholder-representative";
    public const string PrivacyOfficer = "privacy-officer";
    public const string PartnerAnalyst = "partner-analyst";

    public static IReadOnlyList<string> All { get; } =
    [
        BookingOfficer, RecordsAdmin, ChargingAttorney, Magistrate, StakeholderRepresentative, PrivacyOfficer, PartnerAnalyst,
    ];

    /// <summary>Roles that read the shared arrest database directly. A partner analyst is not one of them.</summary>
    public static IReadOnlyList<string> Stakeholder { get; } =
    [
        BookingOfficer, RecordsAdmin, ChargingAttorney, Magistrate, StakeholderRepresentative, PrivacyOfficer,
    ];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);

    /// <summary>Which agency kinds may hold a role: a partner agency holds only the partner role, and the
    /// desk roles belong to the agency that runs the desk.</summary>
    public static bool IsAllowedFor(string role, AgencyKind kind) => role switch
    {
        PartnerAnalyst => kind == AgencyKind.Partner,
        BookingOfficer or RecordsAdmin => kind == AgencyKind.Police,
        ChargingAttorney => kind == AgencyKind.DistrictAttorney,
        Magistrate => kind == AgencyKind.Courts,
        StakeholderRepresentative or PrivacyOfficer => AgencyKinds.IsStakeholder(kind),
        _ => false,
    };
}
