using OpenPars.Core.Agencies;
using OpenPars.Core.Common;

namespace OpenPars.App.Identity;

/// <summary>
/// Who may call each use case, stated in the application layer so that every adapter (API, page, stream, CLI) is held
/// to it. The web host states the same rules as authorization policies, which refuse before a body is read; these
/// are the rules themselves, checked again inside the use case.
/// </summary>
public static class Access
{
    /// <summary>A stakeholder agency's user with a stakeholder role: reads the shared database directly.</summary>
    public static readonly Func<Caller, bool> Stakeholder = c => c.IsStakeholder;

    public static readonly Func<Caller, bool> BookingOfficer = c => Has(c, Roles.BookingOfficer);

    public static readonly Func<Caller, bool> Corrections = c => Has(c, Roles.BookingOfficer) || Has(c, Roles.RecordsAdmin);

    public static readonly Func<Caller, bool> ChargingAttorney = c => Has(c, Roles.ChargingAttorney);

    public static readonly Func<Caller, bool> Magistrate = c => Has(c, Roles.Magistrate);

    public static readonly Func<Caller, bool> RecordsAdmin = c => Has(c, Roles.RecordsAdmin);

    /// <summary>An agency's administrator: the police's records admin or another stakeholder's agency admin.</summary>
    public static readonly Func<Caller, bool> Administrator = c => Has(c, Roles.RecordsAdmin) || Has(c, Roles.AgencyAdmin);

    public static readonly Func<Caller, bool> PrivacyOfficer = c => Has(c, Roles.PrivacyOfficer);

    public static readonly Func<Caller, bool> Representative = c => Has(c, Roles.StakeholderRepresentative);

    /// <summary>A partner agency's analyst: sees only what the agency's agreement in force grants.</summary>
    public static readonly Func<Caller, bool> PartnerAnalyst = c => !c.IsOperator && c.AgencyKind == AgencyKind.Partner && c.HasRole(Roles.PartnerAnalyst);

    /// <summary>Any signed-in user, or the operator at the terminal.</summary>
    public static readonly Func<Caller, bool> Anyone = _ => true;

    /// <summary>Refuses with PARS-AUTH-002 unless the caller satisfies the rule.</summary>
    public static void Require(Caller caller, Func<Caller, bool> rule)
    {
        if (!rule(caller))
        {
            throw new DomainException(ErrorCodes.Forbidden, "Your roles do not allow this request.");
        }
    }

    // A role counts only for a user of the agency kind that may hold it (a forged roles column cannot make a
    // partner's user a booking officer).
    private static bool Has(Caller caller, string role) =>
        !caller.IsOperator && caller.HasRole(role) && Roles.IsAllowedFor(role, caller.AgencyKind);
}
