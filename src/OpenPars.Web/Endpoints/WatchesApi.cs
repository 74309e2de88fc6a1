using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.PartnerAccess;
using OpenPars.App.Watches;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Core.Watches;
using OpenPars.Web.Audit;
using OpenPars.Web.OpenApi;
using OpenPars.Web.Security;

namespace OpenPars.Web.Endpoints;

/// <summary>Partner watches over HTTP (<see cref="WatchUseCases"/>): register (the search's three headers, a body
/// naming one person), list and cancel the agency's own; the partner stream of their matches; the privacy officer's
/// list of every active watch.</summary>
public static class WatchesApi
{
    /// <summary>Maps <c>/api/v1/partner/watches</c>, <c>/api/v1/partner/stream</c> and <c>/api/v1/oversight/watches</c>.</summary>
    public static IEndpointRouteBuilder MapWatchesApi(this IEndpointRouteBuilder routes)
    {
        var partner = routes.MapGroup("/api/v1/partner/watches").WithTags("Partner watches").RequireRateLimiting(PartnerRateLimit.Policy);
        partner.MapPost("", Register).RequireAuthorization(Policies.PartnerAnalyst).Audited(AuditEventType.WatchRegistered)
            .WithName("registerPartnerWatch")
            .WithHeader(PartnerApi.PurposeHeader, required: true, "The purpose of the watch; one the agreement allows.")
            .WithHeader(PartnerApi.ReasonHeader, required: true, "Why this person is watched; the agreement sets the minimum length and blocked terms.")
            .WithHeader(PartnerApi.CaseNumberHeader, required: true, "The partner's case number the watch is for.")
            .Refuses(ErrorCodes.MalformedJson, ErrorCodes.UnknownMember, ErrorCodes.UnsupportedMediaType, ErrorCodes.BodyTooLarge, AgreementErrorCodes.NoActiveAgreement, AgreementErrorCodes.NotYetEffective, AgreementErrorCodes.Expired, AgreementErrorCodes.TerminatedOrSuspended, AgreementErrorCodes.PurposeNotAllowed, AgreementErrorCodes.ReasonMissing, AgreementErrorCodes.CaseNumberMissing, AgreementErrorCodes.ReasonBlockedTerm, AgreementErrorCodes.ProhibitedCriterion, AgreementErrorCodes.CriterionNotAllowed, AgreementErrorCodes.QueryTooBroad, AgreementErrorCodes.QuotaExceeded, AgreementErrorCodes.OperationNotGranted, WatchErrorCodes.ExpiryOutOfRange, WatchErrorCodes.InvalidWatch)
            .WithSummary("Watch one identified person under your agency's agreement (partner analyst): told when their arrest record changes, never what it says. Same headers as a search.");
        partner.MapGet("", List).RequireAuthorization(Policies.PartnerAnalyst).Audited(AuditEventType.WatchesListed)
            .WithName("listPartnerWatches")
            .WithSummary("Your agency's watches, newest first: active, cancelled and expired (partner analyst).");
        partner.MapDelete("/{id}", Cancel).RequireAuthorization(Policies.PartnerAnalyst).Audited(AuditEventType.WatchCancelled)
            .WithName("cancelPartnerWatch").Refuses(WatchErrorCodes.WatchNotFound, WatchErrorCodes.WatchEnded, ErrorCodes.ConcurrentChange)
            .WithSummary("Cancel one of your agency's watches (partner analyst); another agency's id is not found.");
        routes.MapGet("/api/v1/partner/stream", Stream).WithTags("Partner watches").RequireRateLimiting(PartnerRateLimit.Policy)
            .RequireAuthorization(Policies.PartnerAnalyst).Audited(AuditEventType.PartnerStreamOpened).WithName("streamPartnerWatches")
            .WithHeader(PartnerApi.PurposeHeader, required: true, "The purpose the stream is read for; one the agreement allows.")
            .WithHeader(PartnerApi.ReasonHeader, required: true, "Why it is read; the agreement sets the minimum length and blocked terms.")
            .WithHeader(PartnerApi.CaseNumberHeader, required: true, "The partner's case number.")
            .WithResumeHeader()
            .Refuses(AgreementErrorCodes.NoActiveAgreement, AgreementErrorCodes.NotYetEffective, AgreementErrorCodes.Expired, AgreementErrorCodes.TerminatedOrSuspended, AgreementErrorCodes.PurposeNotAllowed, AgreementErrorCodes.ReasonMissing, AgreementErrorCodes.CaseNumberMissing, AgreementErrorCodes.ReasonBlockedTerm, AgreementErrorCodes.OperationNotGranted)
            .WithSummary("Live (SSE): your agency's watch matches as thin notices (watch id, arrest number, event kind, time), under the operation watch (partner analyst). Same headers as a search; ends with event: revoked the moment the agreement stops or the token is revoked.");
        routes.MapGet("/api/v1/oversight/watches", Oversight).WithTags("Oversight").RequireAuthorization(Policies.PrivacyOfficer).Audited(AuditEventType.OversightWatchesRead)
            .WithName("listOversightWatches")
            .WithSummary("Every active watch of every partner, with its agreement, purpose and case number (privacy officer).");
        return routes;
    }

    private static async Task<Created<WatchView>> Register(WatchBody body, HttpContext context, WatchUseCases watches)
    {
        var statement = new PartnerStatement(Header(context, PartnerApi.PurposeHeader), Header(context, PartnerApi.ReasonHeader), Header(context, PartnerApi.CaseNumberHeader));
        var watch = await watches.RegisterAsync(context.User.ToCaller(), new WatchRequest(body.Criteria, body.ExpiresAt), statement, context.RequestAborted);
        return TypedResults.Created($"/api/v1/partner/watches/{watch.Id}", watch);
    }

    private static async Task<Ok<WatchList>> List(HttpContext context, WatchUseCases watches) =>
        TypedResults.Ok(new WatchList(await watches.ListAsync(context.User.ToCaller(), context.RequestAborted)));

    private static async Task<NoContent> Cancel(string id, HttpContext context, WatchUseCases watches)
    {
        await watches.CancelAsync(context.User.ToCaller(), id, context.RequestAborted);
        return TypedResults.NoContent();
    }

    private static async Task<ServerSentEventsResult<string>> Stream(HttpContext context, PartnerStreamUseCases streams)
    {
        var statement = new PartnerStatement(Header(context, PartnerApi.PurposeHeader), Header(context, PartnerApi.ReasonHeader), Header(context, PartnerApi.CaseNumberHeader));
        return FeedsApi.Sse(await streams.OpenAsync(context.User.ToCaller(), statement, FeedsApi.LastEventId(context), context.RequestAborted));
    }

    private static async Task<Ok<WatchList>> Oversight(HttpContext context, WatchUseCases watches) =>
        TypedResults.Ok(new WatchList(await watches.OversightAsync(context.User.ToCaller(), context.RequestAborted)));

    private static string? Header(HttpContext context, string name) =>
        context.Request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>The body of a registration: the criteria that identify one person and an optional expiry.</summary>
    /// <param name="Criteria">Search criteria and values, e.g. <c>{"sid": "PA1234567"}</c>.</param>
    /// <param name="ExpiresAt">When the watch stops (default: the agreement's expiry).</param>
    public sealed record WatchBody(Dictionary<string, string>? Criteria, DateTimeOffset? ExpiresAt);

    /// <summary>A list of watches.</summary>
    /// <param name="Watches">The watches, newest first.</param>
    public sealed record WatchList(IReadOnlyList<WatchView> Watches);
}
