using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.Charter;
using OpenPars.Core.Audit;
using OpenPars.Core.Charter;
using OpenPars.Core.Common;
using OpenPars.Web.Audit;
using OpenPars.Web.OpenApi;
using OpenPars.Web.Security;

namespace OpenPars.Web.Endpoints;

/// <summary>A proposed amendment: the whole next version of the charter, and why.</summary>
public sealed record CharterAmendmentRequest(string? Statement, JsonElement? Charter);

/// <summary>
/// The charter above every agreement (<see cref="CharterUseCases"/>): every stakeholder role reads it with its history
/// and votes; a stakeholder representative proposes an amendment and each stakeholder agency's representative votes
/// on it — in force only with every stakeholder agency's consent. The transparency page's copy is public.
/// </summary>
public static class CharterApi
{
    public static RouteGroupBuilder MapCharterApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/charter").WithTags("Charter");
        group.MapGet("/", Get).RequireAuthorization(Policies.Stakeholder).Audited(AuditEventType.CharterRead)
            .WithName("getCharter").Refuses(CharterErrorCodes.NoCharter, ErrorCodes.StoreDamaged)
            .WithSummary("The charter in force, since when, every version, and every amendment with its votes (any stakeholder role).");
        group.MapPost("/amendments", Propose).RequireAuthorization(Policies.StakeholderRepresentative).Audited(AuditEventType.CharterAmendmentProposed)
            .WithName("proposeCharterAmendment")
            .Refuses(ErrorCodes.MalformedJson, ErrorCodes.UnknownMember, ErrorCodes.ValidationFailed, ErrorCodes.UnsupportedMediaType, ErrorCodes.BodyTooLarge,
                CharterErrorCodes.MalformedCharter, CharterErrorCodes.InvalidCharter, CharterErrorCodes.NotAStakeholder, CharterErrorCodes.AmendmentOpen, CharterErrorCodes.WrongVersion, CharterErrorCodes.InvalidVote, ErrorCodes.StoreDamaged)
            .WithSummary("Propose the next version of the charter (stakeholder representative). Body: statement and the whole charter document; it comes into force only with the consent of every stakeholder agency.");
        group.MapPost("/amendments/{version:int}/votes", Vote).RequireAuthorization(Policies.StakeholderRepresentative).Audited(AuditEventType.CharterAmendmentVoteCast)
            .WithName("voteOnCharterAmendment")
            .Refuses(CharterErrorCodes.NotAStakeholder, CharterErrorCodes.NoOpenAmendment, CharterErrorCodes.DuplicateVote, CharterErrorCodes.InvalidVote, ErrorCodes.StoreDamaged)
            .WithSummary("Your agency's consent or rejection of the open amendment to this version, with a statement (stakeholder representative; one vote per agency).");

        routes.MapGet("/api/v1/transparency/charter", Public).AllowAnonymous().WithTags("Transparency")
            .WithName("getPublicCharter").Refuses(CharterErrorCodes.NoCharter, ErrorCodes.StoreDamaged)
            .WithSummary("The charter in force and its amendment history, by agency code and date only (public, anonymous).");
        return group;
    }

    private static async Task<Ok<CharterView>> Get(HttpContext context, CharterUseCases charter) =>
        TypedResults.Ok(await charter.GetAsync(context.User.ToCaller(), context.RequestAborted));

    private static async Task<Created<CharterView>> Propose(CharterAmendmentRequest request, HttpContext context, CharterUseCases charter)
    {
        var json = request.Charter is { ValueKind: JsonValueKind.Object } element ? element.GetRawText() : null;
        var view = await charter.ProposeAmendmentAsync(context.User.ToCaller(), json, request.Statement, context.RequestAborted);
        return TypedResults.Created("/api/v1/charter", view);
    }

    private static async Task<Created<CharterView>> Vote(int version, CharterVoteRequest request, HttpContext context, CharterUseCases charter) =>
        TypedResults.Created("/api/v1/charter", await charter.VoteAsync(context.User.ToCaller(), version, request, context.RequestAborted));

    private static async Task<Ok<TransparencyCharterView>> Public(HttpContext context, CharterUseCases charter) =>
        TypedResults.Ok(await charter.PublicAsync(context.RequestAborted));
}
