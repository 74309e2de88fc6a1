using Microsoft.AspNetCore.Authorization;
using OpenPars.Core.Agencies;

namespace OpenPars.Web.Security;

/// <summary>
/// The named authorization policies. Every endpoint states one of these (README.md § Roles); a partner
/// analyst holds none of the stakeholder policies, so partner access can only come through agreements.
/// </summary>
public static class Policies
{
    public const string Authenticated = "authenticated";
    public const string Stakeholder = "stakeholder";
    public const string BookingOfficer = "booking-officer";
    public const string Corrections = "corrections";

    /// <summary>Booking: the booking officer; the records admin for a backdated booking only (the use case's rule).</summary>
    public const string Booking = "booking";
    public const string ChargingAttorney = "charging-attorney";
    public const string Magistrate = "magistrate";
    public const string RecordsAdmin = "records-admin";

    /// <summary>An agency's administrator: records admin (police) or agency admin (another stakeholder).</summary>
    public const string Administrator = "administrator";
    public const string PrivacyOfficer = "privacy-officer";
    public const string StakeholderRepresentative = "stakeholder-representative";
    public const string PartnerAnalyst = "partner-analyst";

    /// <summary>Who oversees partner access: the stakeholders' privacy officers and representatives.</summary>
    public const string Overseer = "overseer";

    /// <summary>Who may read agreements (terms, votes, history, notices): every stakeholder role, privacy officers
    /// included. Agreements say what is shared about people, never anything about a person, and the stakeholders
    /// answer to the public for them; a partner sees only its own active terms (GET /api/v1/partner/agreement).</summary>
    public const string AgreementReader = Stakeholder;

    public static void Add(AuthorizationOptions options)
    {
        options.AddPolicy(Authenticated, p => p.RequireAuthenticatedUser());
        options.AddPolicy(Stakeholder, p => p.RequireAuthenticatedUser()
            .RequireClaim(OpenParsClaims.AgencyKind, AgencyKinds.ToCode(AgencyKind.Police), AgencyKinds.ToCode(AgencyKind.DistrictAttorney), AgencyKinds.ToCode(AgencyKind.Courts))
            .RequireRole(Roles.Stakeholder));
        options.AddPolicy(BookingOfficer, p => p.RequireRole(Roles.BookingOfficer));
        options.AddPolicy(Corrections, p => p.RequireRole(Roles.BookingOfficer, Roles.RecordsAdmin));
        options.AddPolicy(Booking, p => p.RequireRole(Roles.BookingOfficer, Roles.RecordsAdmin));
        options.AddPolicy(ChargingAttorney, p => p.RequireRole(Roles.ChargingAttorney));
        options.AddPolicy(Magistrate, p => p.RequireRole(Roles.Magistrate));
        options.AddPolicy(RecordsAdmin, p => p.RequireRole(Roles.RecordsAdmin));
        options.AddPolicy(Administrator, p => p.RequireRole(Roles.Administration));
        options.AddPolicy(PrivacyOfficer, p => p.RequireRole(Roles.PrivacyOfficer));
        options.AddPolicy(StakeholderRepresentative, p => p.RequireRole(Roles.StakeholderRepresentative));
        options.AddPolicy(Overseer, p => p.RequireRole(Roles.PrivacyOfficer, Roles.StakeholderRepresentative));
        options.AddPolicy(PartnerAnalyst, p => p.RequireAuthenticatedUser()
            .RequireClaim(OpenParsClaims.AgencyKind, AgencyKinds.ToCode(AgencyKind.Partner))
            .RequireRole(Roles.PartnerAnalyst));
        options.FallbackPolicy = options.GetPolicy(Authenticated);
    }
}
