using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.Identity;
using OpenPars.Core.Agencies;
using OpenPars.Storage.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Web.Audit;
using OpenPars.Web.OpenApi;
using OpenPars.Web.Security;

namespace OpenPars.Web.Endpoints;

/// <summary>Agencies, users and credentials: each agency's administrator's desk (the rules are the use cases').</summary>
public static class AdministrationApi
{
    public static RouteGroupBuilder MapAdministrationApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1").WithTags("Administration").RequireAuthorization(Policies.Administrator);
        group.MapGet("/agencies", ListAgencies).RequireAuthorization(Policies.RecordsAdmin).Audited(AuditEventType.AgenciesListed).WithName("listAgencies")
            .WithSummary("All agencies (records admin).");
        group.MapPost("/agencies", AddAgency).RequireAuthorization(Policies.RecordsAdmin).Audited(AuditEventType.AgencyAdded).WithName("addAgency")
            .Refuses(ErrorCodes.AgencyCodeTaken, ErrorCodes.OutsideAdministration)
            .WithSummary("Onboard a partner agency (records admin), with its partnerKind as the charter names it; the charter's partner rules bind by it.");
        group.MapGet("/users", ListUsers).Audited(AuditEventType.UsersListed).WithName("listUsers")
            .WithSummary("The users you administer (your agency's; the records admin also the partners').");
        group.MapPost("/users", AddUser).Audited(AuditEventType.UserAdded).WithName("addUser")
            .Refuses(ErrorCodes.AgencyNotFound, ErrorCodes.OutsideAdministration, ErrorCodes.SeparationOfDuties)
            .WithSummary("Add a user with roles to an agency you administer.");
        group.MapPut("/users/{id:long}/roles", SetRoles).Audited(AuditEventType.RolesChanged).WithName("setUserRoles")
            .Refuses(ErrorCodes.UserNotFound, ErrorCodes.OutsideAdministration, ErrorCodes.SeparationOfDuties, ErrorCodes.OwnRoles)
            .WithSummary("Replace the roles of a user you administer (never your own).");
        group.MapPost("/users/{id:long}/enrolments", IssueEnrolment).Audited(AuditEventType.EnrolmentIssued).WithName("issueEnrolment")
            .Refuses(ErrorCodes.UserNotFound, ErrorCodes.OutsideAdministration)
            .WithSummary("Issue a one-time enrolment secret the user redeems for their own token (7 days; the secret is in this answer only).");
        group.MapPost("/service-accounts", AddServiceAccount).Audited(AuditEventType.ServiceAccountAdded).WithName("addServiceAccount")
            .Refuses(ErrorCodes.ServiceAccountRole)
            .WithSummary("Add a service account (a system, not a person) to your own agency; it holds no desk, representative, privacy-officer or administration role.");
        group.MapPost("/service-accounts/{id:long}/tokens", CreateServiceAccountToken).Audited(AuditEventType.ServiceAccountTokenCreated).WithName("createServiceAccountToken")
            .Refuses(ErrorCodes.UserNotFound, ErrorCodes.OutsideAdministration, ErrorCodes.NotAServiceAccount)
            .WithSummary("Mint a token for a service account of your own agency; the secret is in this answer only (never for a person or another agency).");
        group.MapGet("/tokens", ListTokens).Audited(AuditEventType.TokensListed).WithName("listTokens")
            .WithSummary("The tokens and unredeemed enrolments of the users you administer: owner, label, dates; never a secret.");
        group.MapPost("/users/{id:long}/password", ResetPassword).Audited(AuditEventType.PasswordReset).WithName("resetPassword")
            .Refuses(ErrorCodes.UserNotFound, ErrorCodes.OutsideAdministration, ErrorCodes.OwnCredentialReset, ErrorCodes.ValidationFailed)
            .WithSummary("Reset the page password of a user you administer (never your own): a new initial password you hand over; the lockout clears and the user's page sessions end.");
        group.MapPost("/users/{id:long}/second-factor-reset", ResetSecondFactor).Audited(AuditEventType.SecondFactorReset).WithName("resetSecondFactor")
            .Refuses(ErrorCodes.UserNotFound, ErrorCodes.OutsideAdministration, ErrorCodes.OwnCredentialReset)
            .WithSummary("Clear the TOTP second factor of a user you administer (never your own): they enrol a new authenticator at their next sign-in; their page sessions end.");
        group.MapDelete("/tokens/{id:long}", RevokeToken).Audited(AuditEventType.TokenRevoked).WithName("revokeToken").Refuses(ErrorCodes.TokenNotFound, ErrorCodes.OutsideAdministration)
            .WithSummary("Revoke a token of a user you administer, at once.");

        // Credentials are obtained by their owner: a rotation of one's own token, or an enrolment's redemption.
        var owner = routes.MapGroup("/api/v1").WithTags("Administration");
        owner.MapPost("/users/{id:long}/tokens", CreateToken).RequireAuthorization(Policies.Authenticated).Audited(AuditEventType.TokenCreated).WithName("createToken")
            .Refuses(ErrorCodes.UserNotFound, ErrorCodes.CredentialForAnotherPerson)
            .WithSummary("Create a token for yourself; the secret is in this answer only. A token for anyone else is refused (PARS-ADM-008).");
        owner.MapPost("/enrolments/redeem", RedeemEnrolment).AllowAnonymous().Audited(AuditEventType.EnrolmentRedeemed).WithName("redeemEnrolment")
            .Refuses(ErrorCodes.EnrolmentNotRedeemable)
            .WithSummary("Redeem an enrolment secret, once, for your own token (anonymous: the secret is the credential).");
        return group;
    }

    private static async Task<Ok<IReadOnlyList<AgencyView>>> ListAgencies(IdentityUseCases identity, HttpContext context) =>
        TypedResults.Ok(await identity.ListAgenciesAsync(context.User.ToCaller(), context.RequestAborted));

    private static async Task<Created<AgencyView>> AddAgency(NewAgency request, IdentityUseCases identity, HttpContext context)
    {
        var agency = await identity.AddAgencyAsync(context.User.ToCaller(), request.Code, request.Name, request.Kind, request.PartnerKind, context.RequestAborted);
        return TypedResults.Created($"/api/v1/agencies/{agency.Code}", agency);
    }

    private static async Task<Ok<IReadOnlyList<UserView>>> ListUsers(IdentityUseCases identity, HttpContext context) =>
        TypedResults.Ok(await identity.ListUsersAsync(context.User.ToCaller(), context.RequestAborted));

    private static async Task<Created<UserView>> AddUser(NewUser request, IdentityUseCases identity, HttpContext context)
    {
        var user = await identity.AddUserAsync(context.User.ToCaller(), request.Agency, request.Name, request.Roles, context.RequestAborted);
        return TypedResults.Created($"/api/v1/users/{user.Id}", user);
    }

    private static async Task<Ok<UserView>> SetRoles(long id, UserRoles request, IdentityUseCases identity, HttpContext context) =>
        TypedResults.Ok(await identity.SetRolesAsync(context.User.ToCaller(), id, request.Roles, context.RequestAborted));

    private static async Task<Created<NewEnrolmentResponse>> IssueEnrolment(long id, IdentityUseCases identity, HttpContext context)
    {
        var (enrolment, secret) = await identity.IssueEnrolmentAsync(context.User.ToCaller(), id, context.RequestAborted);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/v1/tokens/{enrolment.Id}", new NewEnrolmentResponse(enrolment.Id, enrolment.UserId, secret, enrolment.ExpiresAt));
    }

    private static async Task<Created<NewTokenResponse>> RedeemEnrolment(EnrolmentRedemption request, IdentityUseCases identity, HttpContext context)
    {
        var anonymous = new Caller(0, "anonymous", 0, "", AgencyKind.Partner, [], null, Channels.Http);
        var (token, secret) = await identity.RedeemEnrolmentAsync(anonymous, request.Secret, IdentityUseCases.LifetimeFromDays(request.ExpiresInDays), request.Label, context.RequestAborted);
        return TokenCreated(context, token, secret);
    }

    private static async Task<Created<NewTokenResponse>> CreateToken(long id, NewToken? request, IdentityUseCases identity, HttpContext context)
    {
        var (token, secret) = await identity.CreateTokenAsync(context.User.ToCaller(), id, IdentityUseCases.LifetimeFromDays(request?.ExpiresInDays), request?.Label, context.RequestAborted);
        return TokenCreated(context, token, secret);
    }

    private static Created<NewTokenResponse> TokenCreated(HttpContext context, TokenView token, string secret)
    {
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/v1/tokens/{token.Id}", new NewTokenResponse(token.Id, token.UserId, secret, token.ExpiresAt));
    }

    private static async Task<Created<UserView>> AddServiceAccount(NewServiceAccount request, IdentityUseCases identity, HttpContext context)
    {
        var user = await identity.AddServiceAccountAsync(context.User.ToCaller(), request.Name, request.Roles, context.RequestAborted);
        return TypedResults.Created($"/api/v1/users/{user.Id}", user);
    }

    private static async Task<Created<NewTokenResponse>> CreateServiceAccountToken(long id, NewToken? request, IdentityUseCases identity, HttpContext context)
    {
        var (token, secret) = await identity.CreateServiceAccountTokenAsync(context.User.ToCaller(), id, IdentityUseCases.LifetimeFromDays(request?.ExpiresInDays), request?.Label, context.RequestAborted);
        return TokenCreated(context, token, secret);
    }

    private static async Task<Ok<IReadOnlyList<TokenListing>>> ListTokens(IdentityUseCases identity, HttpContext context) =>
        TypedResults.Ok(await identity.ListTokensAsync(context.User.ToCaller(), context.RequestAborted));

    private static async Task<NoContent> ResetPassword(long id, PasswordReset request, SignInUseCases signIn, HttpContext context)
    {
        await signIn.ResetPasswordAsync(context.User.ToCaller(), id, request.Password, context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> ResetSecondFactor(long id, SignInUseCases signIn, HttpContext context)
    {
        await signIn.ResetSecondFactorAsync(context.User.ToCaller(), id, context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<NoContent> RevokeToken(long id, IdentityUseCases identity, HttpContext context)
    {
        await identity.RevokeTokenAsync(context.User.ToCaller(), id, context.RequestAborted);
        return TypedResults.NoContent();
    }
}

/// <summary>The body of <c>POST /api/v1/agencies</c>.</summary>
/// <param name="Code">The agency's short code, unique.</param>
/// <param name="Name">Its full name.</param>
/// <param name="Kind">police, district-attorney, courts or partner.</param>
/// <param name="PartnerKind">For a partner: its kind as the charter names it (immigration-enforcement, federal-law-enforcement, …).</param>
public sealed record NewAgency(string? Code, string? Name, string? Kind, string? PartnerKind = null);

public sealed record NewUser(string? Agency, string? Name, List<string>? Roles);

public sealed record UserRoles(List<string>? Roles);

/// <summary>A service account of the caller's own agency: its name and the roles a system may hold (none of today's).</summary>
public sealed record NewServiceAccount(string? Name, List<string>? Roles);

public sealed record NewToken(int? ExpiresInDays, string? Label);

/// <summary>The body of <c>POST /api/v1/users/{id}/password</c>: the new initial password (12 to 256 characters).</summary>
/// <param name="Password">The password the administrator hands over.</param>
public sealed record PasswordReset(string? Password);

public sealed record NewTokenResponse(long Id, long UserId, string Token, DateTimeOffset? ExpiresAt);

public sealed record NewEnrolmentResponse(long Id, long UserId, string EnrolmentSecret, DateTimeOffset? ExpiresAt);

public sealed record EnrolmentRedemption(string? Secret, int? ExpiresInDays, string? Label);
