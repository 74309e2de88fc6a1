using OpenPars.Core.Agencies;

namespace OpenPars.Web.Pages.Shared;

/// <summary>One item of the navigation: where, what it is called, and who sees it.</summary>
/// <param name="Href">The page's path.</param>
/// <param name="Label">Its name in the navigation.</param>
/// <param name="Shown">Whether a caller sees it: the same roles the page's policy requires (a caller never sees a
/// link to a page that would answer 403).</param>
public sealed record NavigationItem(string Href, string Label, Func<Caller, bool> Shown);

/// <summary>The navigation per role. A page added by a feature adds its item here with the roles of its policy.</summary>
public static class Navigation
{
    /// <summary>Every item, in display order.</summary>
    public static IReadOnlyList<NavigationItem> Items { get; } =
    [
        new("/desk", "Desk", c => !c.IsOperator),
        new("/arrests/new", "Book an arrest", c => c.HasRole(Roles.BookingOfficer)),
        new("/charging", "Charging queue", c => c.IsStakeholder && c.HasRole(Roles.ChargingAttorney)),
        new("/arraignment", "Arraignment list", c => c.HasRole(Roles.Magistrate)),
        new("/agreements", "Agreements", c => c.IsStakeholder && (c.HasRole(Roles.StakeholderRepresentative) || c.HasRole(Roles.PrivacyOfficer))),
        new("/partner/search", "Partner search", c => c.AgencyKind == AgencyKind.Partner && c.HasRole(Roles.PartnerAnalyst)),
        new("/partner/watches", "Watches", c => c.AgencyKind == AgencyKind.Partner && c.HasRole(Roles.PartnerAnalyst)),
        new("/partner/agreement", "Our agreement", c => c.AgencyKind == AgencyKind.Partner && c.HasRole(Roles.PartnerAnalyst)),
        new("/audit", "Audit explorer", c => c.HasRole(Roles.PrivacyOfficer)),
        new("/oversight", "Oversight", c => c.HasRole(Roles.PrivacyOfficer) || c.HasRole(Roles.StakeholderRepresentative)),
        new("/admin/agencies", "Agencies", c => c.HasRole(Roles.RecordsAdmin)),
        new("/admin/users", "Users", c => c.HasRole(Roles.RecordsAdmin)),
        new("/admin/tokens", "Tokens", c => c.HasRole(Roles.RecordsAdmin)),
        new("/admin/webhooks", "Webhooks", c => c.HasRole(Roles.RecordsAdmin)),
        new("/transparency", "Transparency", _ => true),
    ];

    /// <summary>What a visitor who is not signed in sees: the public pages only.</summary>
    public static IReadOnlyList<NavigationItem> Public { get; } =
    [
        new("/transparency", "Transparency", _ => true),
        new("/sign-in", "Sign in", _ => true),
    ];

    /// <summary>The items <paramref name="caller"/> sees.</summary>
    public static IEnumerable<NavigationItem> For(Caller caller) => Items.Where(i => i.Shown(caller));
}
