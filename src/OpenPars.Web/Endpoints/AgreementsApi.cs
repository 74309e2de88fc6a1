using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Microsoft.Net.Http.Headers;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.App.Agreements;
using OpenPars.Web.Audit;
using OpenPars.Web.OpenApi;
using OpenPars.Web.Security;

namespace OpenPars.Web.Endpoints;

public sealed record SuspensionRequest(string? Statement);

/// <summary>
/// Data-sharing agreements: drafted, proposed, voted, renewed and suspended by the stakeholders. Who may: stakeholder
/// representatives write and vote, privacy officers suspend, every stakeholder role reads (<see cref="Policies.AgreementReader"/>).
/// Whatever the role, a partner agency never governs (PARS-AGR-060). Every call is audited (7xxx).
/// </summary>
public static class AgreementsApi
{
    public static RouteGroupBuilder MapAgreementsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/agreements").WithTags("Agreements");

        group.MapPost("/", Draft).RequireAuthorization(Policies.StakeholderRepresentative).Audited(AuditEventType.AgreementDrafted)
            .WithName("draftAgreement").Accepts<AgreementDocument>("application/json").Refuses(ErrorCodes.MalformedJson, ErrorCodes.UnknownMember, ErrorCodes.ValidationFailed, ErrorCodes.UnsupportedMediaType, ErrorCodes.BodyTooLarge, AgreementErrorCodes.InvalidDocument, AgreementErrorCodes.NeverGrantableField, AgreementErrorCodes.ProhibitedCriterionAllowed, AgreementErrorCodes.ExpiresNotAfterEffective, AgreementErrorCodes.VoterNotStakeholder, AgreementErrorCodes.UseRenewal, ErrorCodes.AgencyNotFound)
            .WithSummary("Draft an agreement, or rewrite its draft before it is proposed (stakeholder representative). Body: the agreement document.");
        group.MapPost("/{id}/propose", Propose).RequireAuthorization(Policies.StakeholderRepresentative).Audited(AuditEventType.AgreementProposed)
            .WithName("proposeAgreement").Refuses(AgreementErrorCodes.AgreementNotFound, AgreementErrorCodes.VoterNotStakeholder, AgreementErrorCodes.VoteNotAllowedNow, AgreementErrorCodes.UnknownVersion)
            .WithSummary("Put the latest draft to the stakeholders' vote (stakeholder representative).");
        group.MapPost("/{id}/votes", Vote).RequireAuthorization(Policies.StakeholderRepresentative).Audited(AuditEventType.AgreementVoteCast)
            .WithName("voteOnAgreement").Refuses(AgreementErrorCodes.AgreementNotFound, AgreementErrorCodes.VoterNotStakeholder, AgreementErrorCodes.DuplicateVote, AgreementErrorCodes.VoteNotAllowedNow, AgreementErrorCodes.UnknownVersion)
            .WithSummary("Vote consent, reject or withdraw, with a statement (stakeholder representative; one vote per agency per version).");
        group.MapPost("/{id}/renewals", Renew).RequireAuthorization(Policies.StakeholderRepresentative).Audited(AuditEventType.AgreementRenewalDrafted)
            .WithName("renewAgreement").Accepts<AgreementDocument>("application/json").Refuses(ErrorCodes.MalformedJson, ErrorCodes.UnknownMember, ErrorCodes.ValidationFailed, ErrorCodes.UnsupportedMediaType, ErrorCodes.BodyTooLarge, AgreementErrorCodes.AgreementNotFound, AgreementErrorCodes.InvalidRenewal, AgreementErrorCodes.InvalidDocument, AgreementErrorCodes.NeverGrantableField, AgreementErrorCodes.ProhibitedCriterionAllowed, AgreementErrorCodes.ExpiresNotAfterEffective, AgreementErrorCodes.VoterNotStakeholder)
            .WithSummary("Draft a renewal: the next version, expiring later, for its own vote (stakeholder representative).");
        group.MapPost("/{id}/suspension", Suspend).RequireAuthorization(Policies.PrivacyOfficer).Audited(AuditEventType.AgreementSuspended)
            .WithName("suspendAgreement").Refuses(AgreementErrorCodes.AgreementNotFound, AgreementErrorCodes.SuspensionNotAllowed)
            .WithSummary("Suspend an active agreement pending review (privacy officer); it resumes by a consent quorum.");
        group.MapGet("/", List).RequireAuthorization(Policies.AgreementReader).Audited(AuditEventType.AgreementsListed)
            .WithName("listAgreements")
            .WithSummary("Every agreement with its status now (any stakeholder role).");
        group.MapGet("/{id}", Get).RequireAuthorization(Policies.AgreementReader).Audited(AuditEventType.AgreementRead)
            .WithName("getAgreement").Refuses(AgreementErrorCodes.AgreementNotFound)
            .WithSummary("One agreement: terms, votes, history and status now (any stakeholder role).");
        group.MapGet("/{id}/notice", Notice).RequireAuthorization(Policies.AgreementReader).Audited(AuditEventType.AgreementNoticeRead)
            .WithName("getAgreementNotice").Refuses(AgreementErrorCodes.AgreementNotFound, AgreementErrorCodes.NoticeNotDue)
            .WithSummary("The termination or expiry notice: Markdown, or HTML with Accept: text/html (any stakeholder role).");
        return group;
    }

    private static async Task<Created<AgreementDetailView>> Draft(HttpContext context, AgreementUseCases agreements)
    {
        var stored = await agreements.DraftAsync(context.User.ToCaller(), await ReadDocumentAsync(context), context.RequestAborted);
        return TypedResults.Created($"/api/v1/agreements/{stored.AgreementId}", AgreementViews.Detail(stored, agreements.Clock.GetUtcNow()));
    }

    private static async Task<Ok<AgreementDetailView>> Propose(string id, HttpContext context, AgreementUseCases agreements)
    {
        var stored = await agreements.ProposeAsync(context.User.ToCaller(), id, null, context.RequestAborted);
        return TypedResults.Ok(AgreementViews.Detail(stored, agreements.Clock.GetUtcNow()));
    }

    private static async Task<Created<AgreementDetailView>> Vote(string id, VoteRequest request, HttpContext context, AgreementUseCases agreements)
    {
        var stored = await agreements.VoteAsync(context.User.ToCaller(), id, request, context.RequestAborted);
        return TypedResults.Created($"/api/v1/agreements/{id}", AgreementViews.Detail(stored, agreements.Clock.GetUtcNow()));
    }

    private static async Task<Created<AgreementDetailView>> Renew(string id, HttpContext context, AgreementUseCases agreements)
    {
        var stored = await agreements.RenewAsync(context.User.ToCaller(), id, await ReadDocumentAsync(context), context.RequestAborted);
        return TypedResults.Created($"/api/v1/agreements/{id}", AgreementViews.Detail(stored, agreements.Clock.GetUtcNow()));
    }

    private static async Task<Ok<AgreementDetailView>> Suspend(string id, SuspensionRequest request, HttpContext context, AgreementUseCases agreements)
    {
        var stored = await agreements.SuspendAsync(context.User.ToCaller(), id, request.Statement, context.RequestAborted);
        return TypedResults.Ok(AgreementViews.Detail(stored, agreements.Clock.GetUtcNow()));
    }

    private static async Task<Ok<IReadOnlyList<AgreementSummaryView>>> List(HttpContext context, AgreementUseCases agreements)
    {
        var all = await agreements.ListAsync(context.User.ToCaller(), context.RequestAborted);
        var now = agreements.Clock.GetUtcNow();
        return TypedResults.Ok<IReadOnlyList<AgreementSummaryView>>([.. all.Select(a => AgreementViews.Summary(a, now))]);
    }

    private static async Task<Ok<AgreementDetailView>> Get(string id, HttpContext context, AgreementUseCases agreements)
    {
        var stored = await agreements.GetAsync(context.User.ToCaller(), id, context.RequestAborted);
        return TypedResults.Ok(AgreementViews.Detail(stored, agreements.Clock.GetUtcNow()));
    }

    private static async Task<ContentHttpResult> Notice(string id, HttpContext context, AgreementUseCases agreements)
    {
        var notice = await agreements.NoticeAsync(context.User.ToCaller(), id, context.RequestAborted);
        var html = context.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));
        return html
            ? TypedResults.Content(notice.Html, "text/html; charset=utf-8")
            : TypedResults.Content(notice.Markdown, "text/markdown; charset=utf-8");
    }

    /// <summary>The body as an agreement document, parsed strictly (unknown members and values without offsets refused).</summary>
    private static async Task<AgreementDocument> ReadDocumentAsync(HttpContext context)
    {
        if (!context.Request.HasJsonContentType())
        {
            throw new DomainException(ErrorCodes.UnsupportedMediaType, "Send the agreement document as application/json.");
        }

        using var reader = new StreamReader(context.Request.Body);
        var json = await reader.ReadToEndAsync(context.RequestAborted);
        return AgreementJson.Parse(json);
    }
}
