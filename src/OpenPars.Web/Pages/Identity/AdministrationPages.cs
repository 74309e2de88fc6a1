using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.Identity;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Web.Audit;
using OpenPars.Web.Pages.Shared;
using OpenPars.Web.Security;

namespace OpenPars.Web.Pages.Identity;

/// <summary>The records admin's administration desk as pages (<see cref="Policies.RecordsAdmin"/>; anyone else gets the
/// 403 page, audited), over the same use cases as <c>AdministrationApi</c>, channel <c>page</c>, one use case per
/// request: agencies (list, onboard a partner), users (list per agency, add, roles, password reset, second-factor
/// reset) and tokens (list, a service account's token shown once, revoke). A refused form comes back alone with its
/// refusal (the list is not read again for it), its field errors next to the fields.</summary>
public static class AdministrationPages
{
    /// <summary>Maps /admin/agencies, /admin/users, /admin/users/{id} (and its forms) and /admin/tokens (and its forms).</summary>
    public static IEndpointRouteBuilder MapAdministrationPages(this IEndpointRouteBuilder routes)
    {
        var admin = routes.MapGroup("/admin").RequireAuthorization(Policies.RecordsAdmin).ExcludeFromDescription();
        admin.MapGet("/agencies", Agencies).Audited(AuditEventType.AgenciesListed);
        admin.MapPost("/agencies", AddAgency).Audited(AuditEventType.AgencyAdded).DisableAntiforgery();
        admin.MapGet("/users", Users).Audited(AuditEventType.UsersListed);
        admin.MapPost("/users", AddUser).Audited(AuditEventType.UserAdded).DisableAntiforgery();
        admin.MapGet("/users/{id}", User).Audited(AuditEventType.UsersListed);
        admin.MapPost("/users/{id}/roles", SetRoles).Audited(AuditEventType.RolesChanged).DisableAntiforgery();
        admin.MapPost("/users/{id}/password", ResetPassword).Audited(AuditEventType.PasswordReset).DisableAntiforgery();
        admin.MapPost("/users/{id}/second-factor", ResetSecondFactor).Audited(AuditEventType.SecondFactorReset).DisableAntiforgery();
        admin.MapGet("/tokens", Tokens).Audited(AuditEventType.TokensListed);
        admin.MapPost("/tokens", CreateToken).Audited(AuditEventType.ServiceAccountTokenCreated).DisableAntiforgery();
        admin.MapPost("/tokens/{id}/revoke", RevokeToken).Audited(AuditEventType.TokenRevoked).DisableAntiforgery();
        return routes;
    }

    private static async Task<IResult> Agencies(HttpContext context, IdentityUseCases identity)
    {
        var agencies = await identity.ListAgenciesAsync(Caller(context), context.RequestAborted);
        return AgenciesPage(context, agencies, Forms.Agency(), Notice(context, "added", "Agency {0} is onboarded."), null, null, 200);
    }

    private static async Task<IResult> AddAgency(HttpContext context, IdentityUseCases identity)
    {
        if (await ReadAsync(context, Forms.Agency) is not { } form)
        {
            return PageForms.Refused(context);
        }

        if (form.HasErrors)
        {
            return AgenciesPage(context, null, form, null, ErrorCodes.ValidationFailed, null, 400);
        }

        try
        {
            var agency = await identity.AddAgencyAsync(Caller(context), form.Text("code"), form.Text("name"), form.Text("kind"), form.Text("partnerKind"), context.RequestAborted);
            return Results.Redirect($"/admin/agencies?added={Uri.EscapeDataString(agency.Code)}");
        }
        catch (DomainException refusal)
        {
            return AgenciesPage(context, null, Forms.Refused(form, refusal), null, refusal.Code, refusal.Message, ErrorCatalogue.StatusFor(refusal.Code));
        }
    }

    private static async Task<IResult> Users(HttpContext context, IdentityUseCases identity)
    {
        var users = await identity.ListUsersAsync(Caller(context), context.RequestAborted);
        return UsersPage(context, users, Forms.User(), null, null, 200);
    }

    private static async Task<IResult> AddUser(HttpContext context, IdentityUseCases identity)
    {
        if (await ReadAsync(context, Forms.User) is not { } form)
        {
            return PageForms.Refused(context);
        }

        if (form.HasErrors)
        {
            return UsersPage(context, null, form, ErrorCodes.ValidationFailed, null, 400);
        }

        try
        {
            var user = await identity.AddUserAsync(Caller(context), form.Text("agency"), form.Text("name"), Forms.Roles(form), context.RequestAborted);
            return Results.Redirect($"/admin/users/{user.Id}?done=added");
        }
        catch (DomainException refusal)
        {
            return UsersPage(context, null, Forms.Refused(form, refusal), refusal.Code, refusal.Message, ErrorCatalogue.StatusFor(refusal.Code));
        }
    }

    /// <summary>One user and the forms that act on them, read as the list the caller administers (one entry,
    /// <c>admin.users-listed</c>): a user the caller does not administer is not found here.</summary>
    private static async Task<IResult> User(long id, HttpContext context, IdentityUseCases identity)
    {
        var users = await identity.ListUsersAsync(Caller(context), context.RequestAborted);
        if (users.FirstOrDefault(u => u.Id == id) is not { } user)
        {
            return PageResults.Page<MessagePage>(context, "User not found", new Dictionary<string, object?>
            {
                ["Message"] = $"No user {id} is among the users you administer.",
                ["Code"] = ErrorCodes.UserNotFound,
                ["Back"] = "/admin/users",
            }, 404);
        }

        var done = context.Request.Query["done"].ToString() switch
        {
            "added" => $"{user.Name} is added. Set an initial password below and hand it over in person; they enrol their authenticator at their first sign-in.",
            "roles" => $"{user.Name}'s roles are changed.",
            "password" => $"{user.Name}'s password is reset and their sessions are ended. Hand the new password over in person.",
            "second-factor" => $"{user.Name}'s second factor is reset and their sessions are ended: they enrol a new authenticator at their next sign-in.",
            _ => null,
        };
        var roles = Forms.User();
        roles["roles"] = string.Join(", ", user.Roles);
        return UserPage(context, id, user, roles, Forms.Password(), done, null, null, 200);
    }

    private static Task<IResult> SetRoles(long id, HttpContext context, IdentityUseCases identity) =>
        ActOnUserAsync(id, context, Forms.User, "roles", form => identity.SetRolesAsync(Caller(context), id, Forms.Roles(form), context.RequestAborted));

    private static Task<IResult> ResetPassword(long id, HttpContext context, SignInUseCases signIn) =>
        ActOnUserAsync(id, context, Forms.Password, "password", form => signIn.ResetPasswordAsync(Caller(context), id, form["password"], context.RequestAborted));

    private static Task<IResult> ResetSecondFactor(long id, HttpContext context, SignInUseCases signIn) =>
        ActOnUserAsync(id, context, Forms.Password, "second-factor", _ => signIn.ResetSecondFactorAsync(Caller(context), id, context.RequestAborted));

    private static async Task<IResult> ActOnUserAsync(long id, HttpContext context, Func<FormState?, FormState> label, string done, Func<FormState, Task> act)
    {
        if (await ReadAsync(context, label) is not { } form)
        {
            return PageForms.Refused(context);
        }

        if (form.HasErrors)
        {
            return UserPage(context, id, null, done == "roles" ? form : Forms.User(), done == "roles" ? Forms.Password() : form, null, ErrorCodes.ValidationFailed, null, 400);
        }

        try
        {
            await act(form);
            return Results.Redirect($"/admin/users/{id}?done={done}");
        }
        catch (DomainException refusal)
        {
            var refused = Forms.Refused(form, refusal);
            var rolesForm = done == "roles" ? refused : Forms.User();
            var passwordForm = done == "roles" ? Forms.Password() : refused;
            return UserPage(context, id, null, rolesForm, passwordForm, null, refusal.Code, refusal.Message, ErrorCatalogue.StatusFor(refusal.Code));
        }
    }

    private static async Task<IResult> Tokens(HttpContext context, IdentityUseCases identity)
    {
        var tokens = await identity.ListTokensAsync(Caller(context), context.RequestAborted);
        return TokensPage(context, tokens, Forms.Token(), Notice(context, "revoked", "Token {0} is revoked."), null, null, null, 200);
    }

    private static async Task<IResult> CreateToken(HttpContext context, IdentityUseCases identity)
    {
        if (await ReadAsync(context, Forms.Token) is not { } form)
        {
            return PageForms.Refused(context);
        }

        var userId = form.Integer("serviceAccount");
        var days = form.Integer("expiresInDays");
        if (userId is null && !form.Errors.Any(e => e.Field == "serviceAccount"))
        {
            form.Add("serviceAccount", "required", "serviceAccount is required: the id of a service account of your agency.");
        }

        if (form.HasErrors)
        {
            await AuditEndpointConventions.RecordRefusalAsync(context, ErrorCodes.ValidationFailed, 400);
            return TokensPage(context, null, form, null, null, ErrorCodes.ValidationFailed, null, 400);
        }

        try
        {
            var (token, secret) = await identity.CreateServiceAccountTokenAsync(Caller(context), userId!.Value, IdentityUseCases.LifetimeFromDays(days), form.Text("label"), context.RequestAborted);
            context.Response.Headers.CacheControl = "no-store";
            return TokensPage(context, null, Forms.Token(), $"Token {token.Id} is created. Copy it now: it is shown this once and never again.", secret, null, null, 201);
        }
        catch (DomainException refusal)
        {
            return TokensPage(context, null, Forms.Refused(form, refusal), null, null, refusal.Code, refusal.Message, ErrorCatalogue.StatusFor(refusal.Code));
        }
    }

    private static async Task<IResult> RevokeToken(long id, HttpContext context, IdentityUseCases identity)
    {
        if (await PageForms.ReadAsync(context) is null)
        {
            return PageForms.Refused(context);
        }

        try
        {
            await identity.RevokeTokenAsync(Caller(context), id, context.RequestAborted);
            return Results.Redirect($"/admin/tokens?revoked={id}");
        }
        catch (DomainException refusal)
        {
            return PageResults.Refused(context, "Token not revoked", refusal, "/admin/tokens");
        }
    }

    private static Caller Caller(HttpContext context) => context.User.ToCaller(Channels.Page);

    // The posted form, read as typed and labelled (a control character refused next to its field), or null when the
    // antiforgery check refused it.
    private static async Task<FormState?> ReadAsync(HttpContext context, Func<FormState?, FormState> label)
    {
        if (await PageForms.ReadAsync(context, fieldsChecked: true) is not { } posted)
        {
            return null;
        }

        var form = label(FormState.Read(posted, _ => false));
        if (form.HasErrors)
        {
            await AuditEndpointConventions.RecordRefusalAsync(context, ErrorCodes.ValidationFailed, 400);
        }

        return form;
    }

    // A short notice from a redirect's query (a code or an id), never more than it can be.
    private static string? Notice(HttpContext context, string key, string format) =>
        context.Request.Query[key].ToString() is { Length: > 0 and <= 40 } value && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_')
            ? string.Format(System.Globalization.CultureInfo.InvariantCulture, format, value)
            : null;

    private static Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult AgenciesPage(HttpContext context, IReadOnlyList<Storage.Agencies.AgencyView>? agencies, FormState form, string? notice, string? code, string? message, int status) =>
        PageResults.Page<AgenciesPage>(context, "Agencies", new Dictionary<string, object?>
        {
            ["Agencies"] = agencies, ["Form"] = form, ["Notice"] = notice, ["Code"] = code, ["Message"] = message,
        }, status);

    private static Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult UsersPage(HttpContext context, IReadOnlyList<Storage.Agencies.UserView>? users, FormState form, string? code, string? message, int status) =>
        PageResults.Page<UsersPage>(context, "Users", new Dictionary<string, object?>
        {
            ["Users"] = users, ["Form"] = form, ["Code"] = code, ["Message"] = message,
        }, status);

    private static Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult UserPage(HttpContext context, long id, Storage.Agencies.UserView? user, FormState roles, FormState password, string? notice, string? code, string? message, int status) =>
        PageResults.Page<UserPage>(context, user is null ? $"User {id}" : $"User {user.Name}", new Dictionary<string, object?>
        {
            ["UserId"] = id, ["User"] = user, ["RolesForm"] = roles, ["PasswordForm"] = password, ["Notice"] = notice, ["Code"] = code, ["Message"] = message,
        }, status);

    private static Microsoft.AspNetCore.Http.HttpResults.RazorComponentResult TokensPage(HttpContext context, IReadOnlyList<Storage.Agencies.TokenListing>? tokens, FormState form, string? notice, string? secret, string? code, string? message, int status) =>
        PageResults.Page<TokensPage>(context, "Tokens", new Dictionary<string, object?>
        {
            ["Tokens"] = tokens, ["Form"] = form, ["Notice"] = notice, ["Secret"] = secret, ["Code"] = code, ["Message"] = message,
        }, status);
}

/// <summary>The administration forms' fields and labels, and where a refusal belongs.</summary>
public static class Forms
{
    /// <summary>The agency form: code, name, kind, partner kind.</summary>
    public static FormState Agency(FormState? form = null) => Label(form ?? new FormState(), ("code", "Code"), ("name", "Name"), ("kind", "Kind"), ("partnerKind", "Partner kind (as the charter names it)"));

    /// <summary>The user form: agency, name, roles (comma-separated).</summary>
    public static FormState User(FormState? form = null) => Label(form ?? new FormState(), ("agency", "Agency code"), ("name", "User name"), ("roles", "Roles (comma-separated)"));

    /// <summary>The password reset form.</summary>
    public static FormState Password(FormState? form = null) => Label(form ?? new FormState(), ("password", "New initial password (12 to 256 characters)"));

    /// <summary>The service-account token form.</summary>
    public static FormState Token(FormState? form = null) => Label(form ?? new FormState(), ("serviceAccount", "Service account (user id)"), ("label", "Label"), ("expiresInDays", "Expires in (days)"));

    /// <summary>The roles typed: comma-separated names, blanks dropped.</summary>
    public static IReadOnlyList<string> Roles(FormState form)
    {
        ArgumentNullException.ThrowIfNull(form);
        return [.. form["roles"].Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)];
    }

    /// <summary>The form as typed with the refusal's field errors next to their fields (a password is never echoed).</summary>
    public static FormState Refused(FormState form, DomainException refusal)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(refusal);
        if (refusal.Errors is { IsEmpty: false } errors)
        {
            form.Add(errors.All.Select(e => e with { Field = e.Field.StartsWith("roles[", StringComparison.Ordinal) ? "roles" : e.Field }));
        }

        form["password"] = "";
        return form;
    }

    private static FormState Label(FormState form, params (string Path, string Label)[] labels)
    {
        foreach (var (path, label) in labels)
        {
            form.Label(path, label);
        }

        return form;
    }
}
