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

    /// <summary>A stakeholder agency's own administrator: manages that agency's users and tokens, nothing else.
    /// (The police's records admin is the police's administrator and also onboards partner agencies.)</summary>
    public const string AgencyAdmin = "agency-admin";

    public static IReadOnlyList<string> All { get; } =
    [
        BookingOfficer, RecordsAdmin, ChargingAttorney, Magistrate, StakeholderRepresentative, PrivacyOfficer, PartnerAnalyst, AgencyAdmin,
    ];

    /// <summary>Roles that read the shared arrest database directly. A partner analyst is not one of them, and
    /// neither is an agency admin: administering accounts needs no arrest data.</summary>
    public static IReadOnlyList<string> Stakeholder { get; } =
    [
        BookingOfficer, RecordsAdmin, ChargingAttorney, Magistrate, StakeholderRepresentative, PrivacyOfficer,
    ];

    /// <summary>Roles that manage accounts and credentials.</summary>
    public static IReadOnlyList<string> Administration { get; } = [RecordsAdmin, AgencyAdmin];

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);

    public static bool IsAdministration(string role) => Administration.Contains(role, StringComparer.Ordinal);

    /// <summary>Separation of duties: an administrator cannot also vote, oversee the log, work a desk or query as a
    /// partner, or they could make the account that does it. True when the set mixes the two.</summary>
    public static bool BreaksSeparationOfDuties(IEnumerable<string> roles)
    {
        var list = roles.ToList();
        return list.Any(IsAdministration) && list.Any(r => !IsAdministration(r));
    }

    /// <summary>Whether a service account (a system of the agency, not a person) may hold a role: never one that acts
    /// for a person or administers accounts — no desk, representative, privacy-officer, partner-analyst or
    /// administration role. Every role of today is one of those, so a service account holds none yet; a role made
    /// for systems (a feed's consumer) would be allowed here.</summary>
    public static bool IsAllowedForServiceAccount(string role) =>
        IsKnown(role) && !IsAdministration(role) && !Stakeholder.Contains(role, StringComparer.Ordinal) && role != PartnerAnalyst;

    /// <summary>Which agency kinds may hold a role: a partner agency holds only the partner role, and the
    /// desk roles belong to the agency that runs the desk.</summary>
    public static bool IsAllowedFor(string role, AgencyKind kind) => role switch
    {
        PartnerAnalyst => kind == AgencyKind.Partner,
        BookingOfficer or RecordsAdmin => kind == AgencyKind.Police,
        ChargingAttorney => kind == AgencyKind.DistrictAttorney,
        Magistrate => kind == AgencyKind.Courts,
        StakeholderRepresentative or PrivacyOfficer => AgencyKinds.IsStakeholder(kind),
        AgencyAdmin => kind is AgencyKind.DistrictAttorney or AgencyKind.Courts,
        _ => false,
    };
}
