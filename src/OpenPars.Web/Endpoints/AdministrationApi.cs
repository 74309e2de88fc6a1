using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.Identity;
using OpenPars.Storage.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Web.Audit;
using OpenPars.Web.OpenApi;
using OpenPars.Web.Security;

namespace OpenPars.Web.Endpoints;

/// <summary>Agencies, users and tokens: the records admin's desk.</summary>
public static class AdministrationApi
{
    public static RouteGroupBuilder MapAdministrationApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1").WithTags("Administration").RequireAuthorization(Policies.RecordsAdmin);
        group.MapGet("/agencies", ListAgencies).Audited(AuditEventType.AgenciesListed).WithName("listAgencies")
            .WithSummary("All agencies (records admin).");
        group.MapPost("/agencies", AddAgency).Audited(AuditEventType.AgencyAdded).WithName("addAgency").Refuses(ErrorCodes.AgencyCodeTaken)
            .WithSummary("Add an agency (records admin).");
        group.MapGet("/users", ListUsers).Audited(AuditEventType.UsersListed).WithName("listUsers")
            .WithSummary("All users (records admin).");
        group.MapPost("/users", AddUser).Audited(AuditEventType.UserAdded).WithName("addUser").Refuses(ErrorCodes.AgencyNotFound)
            .WithSummary("Add a user with roles (records admin).");
        group.MapPost("/users/{id:long}/tokens", CreateToken).Audited(AuditEventType.TokenCreated).WithName("createToken").Refuses(ErrorCodes.UserNotFound)
            .WithSummary("Create a token; the secret is in this answer only (records admin).");
        group.MapDelete("/tokens/{id:long}", RevokeToken).Audited(AuditEventType.TokenRevoked).WithName("revokeToken").Refuses(ErrorCodes.TokenNotFound)
            .WithSummary("Revoke a token at once (records admin).");
        return group;
    }

    private static async Task<Ok<IReadOnlyList<AgencyView>>> ListAgencies(IdentityUseCases identity, HttpContext context) =>
        TypedResults.Ok(await identity.ListAgenciesAsync(context.User.ToCaller(), context.RequestAborted));

    private static async Task<Created<AgencyView>> AddAgency(NewAgency request, IdentityUseCases identity, HttpContext context)
    {
        var agency = await identity.AddAgencyAsync(context.User.ToCaller(), request.Code, request.Name, request.Kind, context.RequestAborted);
        return TypedResults.Created($"/api/v1/agencies/{agency.Code}", agency);
    }

    private static async Task<Ok<IReadOnlyList<UserView>>> ListUsers(IdentityUseCases identity, HttpContext context) =>
        TypedResults.Ok(await identity.ListUsersAsync(context.User.ToCaller(), context.RequestAborted));

    private static async Task<Created<UserView>> AddUser(NewUser request, IdentityUseCases identity, HttpContext context)
    {
        var user = await identity.AddUserAsync(context.User.ToCaller(), request.Agency, request.Name, request.Roles, context.RequestAborted);
        return TypedResults.Created($"/api/v1/users/{user.Id}", user);
    }

    private static async Task<Created<NewTokenResponse>> CreateToken(long id, NewToken? request, IdentityUseCases identity, HttpContext context)
    {
        var (token, secret) = await identity.CreateTokenAsync(context.User.ToCaller(), id, IdentityUseCases.LifetimeFromDays(request?.ExpiresInDays), request?.Label, context.RequestAborted);
        context.Response.Headers.CacheControl = "no-store";
        return TypedResults.Created($"/api/v1/tokens/{token.Id}", new NewTokenResponse(token.Id, token.UserId, secret, token.ExpiresAt));
    }

    private static async Task<NoContent> RevokeToken(long id, IdentityUseCases identity, HttpContext context)
    {
        await identity.RevokeTokenAsync(context.User.ToCaller(), id, context.RequestAborted);
        return TypedResults.NoContent();
    }
}

public sealed record NewAgency(string? Code, string? Name, string? Kind);

public sealed record NewUser(string? Agency, string? Name, List<string>? Roles);

public sealed record NewToken(int? ExpiresInDays, string? Label);

public sealed record NewTokenResponse(long Id, long UserId, string Token, DateTimeOffset? ExpiresAt);
