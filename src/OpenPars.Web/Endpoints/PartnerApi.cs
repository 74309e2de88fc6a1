using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.Agreements;
using OpenPars.App.PartnerAccess;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Core.Policy;
using OpenPars.Web.Audit;
using OpenPars.Web.OpenApi;
using OpenPars.Web.Security;

namespace OpenPars.Web.Endpoints;

/// <summary>Partner access over HTTP: the criteria from the query string, the statement from three headers, the
/// decision, masks and audit in <see cref="PartnerAccessUseCases"/>.</summary>
public static class PartnerApi
{
    public const string PurposeHeader = "OpenPars-Purpose";
    public const string ReasonHeader = "OpenPars-Reason";
    public const string CaseNumberHeader = "OpenPars-Case-Number";

    public static RouteGroupBuilder MapPartnerApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/partner").WithTags("Partner access").RequireRateLimiting(Security.PartnerRateLimit.Policy);

        group.MapGet("/arrests", Search).RequireAuthorization(Policies.PartnerAnalyst).Audited(AuditEventType.PartnerSearch)
            .WithName("searchPartnerArrests").WithQuery(SearchCriteria.ArrestNumber, "Search criterion arrestNumber; the agreement says which criteria it allows.").WithQuery(SearchCriteria.LastName, "Search criterion lastName; the agreement says which criteria it allows.").WithQuery(SearchCriteria.FirstName, "Search criterion firstName; the agreement says which criteria it allows.").WithQuery(SearchCriteria.DateOfBirth, "Search criterion dateOfBirth; the agreement says which criteria it allows.").WithQuery(SearchCriteria.Sid, "Search criterion sid; the agreement says which criteria it allows.").WithQuery(SearchCriteria.FbiNumber, "Search criterion fbiNumber; the agreement says which criteria it allows.").WithQuery(SearchCriteria.Pid, "Search criterion pid; the agreement says which criteria it allows.").WithQuery(SearchCriteria.BookedFrom, "Search criterion bookedFrom; the agreement says which criteria it allows.").WithQuery(SearchCriteria.BookedTo, "Search criterion bookedTo; the agreement says which criteria it allows.").WithQuery(SearchCriteria.District, "Search criterion district; the agreement says which criteria it allows.").WithQuery(SearchCriteria.Statute, "Search criterion statute; the agreement says which criteria it allows.").WithHeader(PartnerApi.PurposeHeader, required: true, "The purpose of the request; one the agreement allows.").WithHeader(PartnerApi.ReasonHeader, required: true, "Why this request is made; the agreement sets the minimum length and blocked terms.").WithHeader(PartnerApi.CaseNumberHeader, required: true, "The partner's case number the request is for.").Refuses(AgreementErrorCodes.NoActiveAgreement, AgreementErrorCodes.NotYetEffective, AgreementErrorCodes.Expired, AgreementErrorCodes.TerminatedOrSuspended, AgreementErrorCodes.PurposeNotAllowed, AgreementErrorCodes.ReasonMissing, AgreementErrorCodes.CaseNumberMissing, AgreementErrorCodes.ReasonBlockedTerm, AgreementErrorCodes.OperationNotGranted, AgreementErrorCodes.QuotaExceeded, AgreementErrorCodes.ProhibitedCriterion, AgreementErrorCodes.CriterionNotAllowed, AgreementErrorCodes.QueryTooBroad, ErrorCodes.ValidationFailed)
            .WithSummary("Search arrests under your agency's agreement (partner analyst). Headers OpenPars-Purpose, OpenPars-Reason, OpenPars-Case-Number.");
        group.MapGet("/arrests/{arrestNumber}", Read).RequireAuthorization(Policies.PartnerAnalyst).Audited(AuditEventType.PartnerRead)
            .WithName("readPartnerArrest").WithHeader(PartnerApi.PurposeHeader, required: true, "The purpose of the request; one the agreement allows.").WithHeader(PartnerApi.ReasonHeader, required: true, "Why this request is made; the agreement sets the minimum length and blocked terms.").WithHeader(PartnerApi.CaseNumberHeader, required: true, "The partner's case number the request is for.").Refuses(AgreementErrorCodes.NoActiveAgreement, AgreementErrorCodes.NotYetEffective, AgreementErrorCodes.Expired, AgreementErrorCodes.TerminatedOrSuspended, AgreementErrorCodes.PurposeNotAllowed, AgreementErrorCodes.ReasonMissing, AgreementErrorCodes.CaseNumberMissing, AgreementErrorCodes.ReasonBlockedTerm, AgreementErrorCodes.OperationNotGranted, AgreementErrorCodes.QuotaExceeded, ErrorCodes.ArrestNotFound)
            .WithSummary("Read one arrest under your agency's agreement (partner analyst). Same headers as the search.");
        group.MapGet("/agreement", Terms).RequireAuthorization(Policies.PartnerAnalyst).Audited(AuditEventType.PartnerAgreementRead)
            .WithName("getPartnerAgreement").Refuses(AgreementErrorCodes.NoActiveAgreement, AgreementErrorCodes.NotYetEffective, AgreementErrorCodes.Expired, AgreementErrorCodes.TerminatedOrSuspended)
            .WithSummary("Your agency's active agreement: its terms, expiry and today's usage (partner analyst).");
        return group;
    }

    private static async Task<Ok<PartnerSearchAnswer>> Search(HttpContext context, PartnerAccessUseCases partner)
    {
        var criteria = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in context.Request.Query)
        {
            criteria[name] = values.ToString();
        }

        var disclosure = await partner.SearchAsync(context.User.ToCaller(), criteria, Statement(context), context.RequestAborted);
        var allowed = disclosure.Decision;
        return TypedResults.Ok(new PartnerSearchAnswer(AgreementRef(allowed), allowed.DisclosedFields, [.. disclosure.Records.Select(r => new DisclosedRecord(r))]));
    }

    private static async Task<Ok<PartnerReadAnswer>> Read(string arrestNumber, HttpContext context, PartnerAccessUseCases partner)
    {
        var disclosure = await partner.ReadAsync(context.User.ToCaller(), arrestNumber, Statement(context), context.RequestAborted);
        var allowed = disclosure.Decision;
        return TypedResults.Ok(new PartnerReadAnswer(AgreementRef(allowed), allowed.DisclosedFields, new DisclosedRecord(disclosure.Records[0])));
    }

    private static async Task<Ok<PartnerTermsAnswer>> Terms(HttpContext context, PartnerAccessUseCases partner)
    {
        var (standing, usage) = await partner.TermsAsync(context.User.ToCaller(), context.RequestAborted);
        var document = standing.Document!;
        return TypedResults.Ok(new PartnerTermsAnswer(
            new PartnerAgreementRef(document.AgreementId, standing.Version, document.ExpiresAt),
            AgreementViews.Status(standing),
            document,
            new PartnerUsageToday(usage.QueriesByUserToday, document.Quotas.QueriesPerUserPerDay, usage.RecordsByAgencyToday, document.Quotas.RecordsPerAgencyPerDay)));
    }

    private static PartnerStatement Statement(HttpContext context) =>
        new(Header(context, PurposeHeader), Header(context, ReasonHeader), Header(context, CaseNumberHeader));

    private static PartnerAgreementRef AgreementRef(PolicyDecision.Allowed allowed) =>
        new(allowed.AgreementId, allowed.AgreementVersion, allowed.ExpiresAt);

    private static string? Header(HttpContext context, string name) =>
        context.Request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;
}
