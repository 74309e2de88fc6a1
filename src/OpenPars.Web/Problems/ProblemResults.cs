using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using OpenPars.Core.Agreements;
using OpenPars.Core.Common;
using OpenPars.Web.Audit;

namespace OpenPars.Web.Problems;

/// <summary>
/// RFC 9457 answers. Every one carries a stable <c>code</c> (see <see cref="ErrorCodes"/>); validation answers
/// carry <c>errors</c>: for each field, the rules it broke.
/// </summary>
public static class ProblemResults
{
    public const string ContentType = "application/problem+json";

    public static int StatusFor(string code) => code switch
    {
        ErrorCodes.ValidationFailed or ErrorCodes.MalformedJson or ErrorCodes.UnknownMember => 400,
        ErrorCodes.Unauthenticated => 401,
        ErrorCodes.Forbidden => 403,
        ErrorCodes.AuditUnavailable or ErrorCodes.StoreDamaged => 503,
        ErrorCodes.AuditCheckpointNotFound => 404,
        ErrorCodes.AuditRangeInvalid => 400,
        ErrorCodes.ArrestNotFound or ErrorCodes.NotFound or ErrorCodes.AgencyNotFound or ErrorCodes.UserNotFound or ErrorCodes.TokenNotFound => 404,
        ErrorCodes.IllegalTransition or ErrorCodes.DeclinedIsFinal or ErrorCodes.ConcurrentChange or ErrorCodes.AgencyCodeTaken => 409,
        ErrorCodes.ArrestStale => 412,
        ErrorCodes.BodyTooLarge => 413,
        ErrorCodes.UnsupportedMediaType => 415,
        ErrorCodes.IdempotencyKeyReused => 422,
        ErrorCodes.PreconditionRequired => 428,

        // Agreements: the partner pipeline refuses with 403 (429 for the quota); documents are bad input;
        // a partner agency's vote is forbidden; votes out of turn conflict with the agreement's state.
        AgreementErrorCodes.QuotaExceeded => 429,
        AgreementErrorCodes.NoActiveAgreement or AgreementErrorCodes.NotYetEffective or AgreementErrorCodes.Expired
            or AgreementErrorCodes.TerminatedOrSuspended or AgreementErrorCodes.PurposeNotAllowed or AgreementErrorCodes.ReasonMissing
            or AgreementErrorCodes.CaseNumberMissing or AgreementErrorCodes.ReasonBlockedTerm or AgreementErrorCodes.ProhibitedCriterion
            or AgreementErrorCodes.CriterionNotAllowed or AgreementErrorCodes.QueryTooBroad or AgreementErrorCodes.OperationNotGranted
            or AgreementErrorCodes.VoterNotStakeholder => 403,
        AgreementErrorCodes.NeverGrantableField or AgreementErrorCodes.ProhibitedCriterionAllowed or AgreementErrorCodes.ExpiresNotAfterEffective
            or AgreementErrorCodes.InvalidDocument or AgreementErrorCodes.InvalidRenewal => 400,
        AgreementErrorCodes.AgreementNotFound => 404,
        AgreementErrorCodes.DuplicateVote or AgreementErrorCodes.VoteNotAllowedNow or AgreementErrorCodes.UnknownVersion
            or AgreementErrorCodes.SuspensionNotAllowed or AgreementErrorCodes.NoticeNotDue or AgreementErrorCodes.UseRenewal => 409,
        _ => 500,
    };

    public static ProblemDetails Create(HttpContext context, int status, string code, string title, string detail, ValidationErrors? errors = null)
    {
        var problem = new ProblemDetails
        {
            Type = $"urn:openpars:problem:{code}",
            Title = title,
            Status = status,
            Detail = detail,
            Instance = context.Request.Path,
        };
        problem.Extensions["code"] = code;
        problem.Extensions["traceId"] = context.TraceIdentifier;
        if (errors is { IsEmpty: false })
        {
            problem.Extensions["errors"] = errors.ByField().ToDictionary(
                e => e.Key,
                e => e.Value.Select(v => new { rule = v.Rule, message = v.Message }).ToArray());
        }

        return problem;
    }

    public static IResult For(HttpContext context, DomainException exception)
    {
        var status = StatusFor(exception.Code);
        return TypedResults.Problem(Create(context, status, exception.Code, TitleFor(exception.Code, status), exception.Message, exception.Errors));
    }

    public static IResult For(HttpContext context, ValidationErrors errors) =>
        For(context, errors.ToException());

    /// <summary>Refusals the framework makes itself (no route, wrong method, body too large, not JSON), described
    /// once for the two places they surface: an empty status code and a BadHttpRequestException.</summary>
    public static (string Code, string Title, string Detail)? FrameworkRefusal(int status, string method) => status switch
    {
        404 => (ErrorCodes.NotFound, "Not found", "There is no such resource."),
        405 => (ErrorCodes.MethodNotAllowed, "Method not allowed", $"{method} is not allowed here."),
        413 => (ErrorCodes.BodyTooLarge, "Body too large", "The request body is limited to 1 MiB."),
        415 => (ErrorCodes.UnsupportedMediaType, "Unsupported media type", "Send the body as application/json."),
        _ => null,
    };

    /// <summary>A refusal made outside an endpoint: recorded in the request's audit trail first, then answered.</summary>
    public static async Task RefuseAsync(HttpContext context, int status, string code, string title, string detail, ValidationErrors? errors = null)
    {
        await AuditEndpointConventions.RecordRefusalAsync(context, code, status);
        await Write(context, status, code, title, detail, errors);
    }

    public static Task Write(HttpContext context, int status, string code, string title, string detail, ValidationErrors? errors = null)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = ContentType;
        return context.Response.WriteAsync(JsonSerializer.Serialize(Create(context, status, code, title, detail, errors), OpenParsJson.Options));
    }

    private static string TitleFor(string code, int status) => code switch
    {
        ErrorCodes.ValidationFailed => "Invalid fields",
        ErrorCodes.IllegalTransition => "Illegal status transition",
        ErrorCodes.DeclinedIsFinal => "Declined is final",
        ErrorCodes.ConcurrentChange => "Changed concurrently",
        ErrorCodes.ArrestStale => "Stale version",
        ErrorCodes.PreconditionRequired => "If-Match required",
        ErrorCodes.IdempotencyKeyReused => "Idempotency-Key reused",
        _ => status switch
        {
            404 => "Not found",
            409 => "Conflict",
            _ => "Request refused",
        },
    };
}
