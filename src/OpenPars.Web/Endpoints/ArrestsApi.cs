using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.Core.Arrests;
using OpenPars.Core.Common;
using OpenPars.Storage.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Web.Audit;
using OpenPars.Web.Security;
using static OpenPars.Web.Endpoints.HttpConventions;

namespace OpenPars.Web.Endpoints;

/// <summary>Booking, reading, searching and correcting arrests: the police desk and every stakeholder's lookup.</summary>
public static class ArrestsApi
{
    public const int MaxIdempotencyKeyLength = 200;

    public static RouteGroupBuilder MapArrestsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/arrests").WithTags("Arrests");

        group.MapPost("/", Book).RequireAuthorization(Policies.BookingOfficer).Audited(AuditEventType.ArrestBooked)
            .WithSummary("Book an arrest (booking officer). Idempotency-Key makes a retry return the first booking.");
        group.MapGet("/{arrestNumber}", Get).RequireAuthorization(Policies.Stakeholder).Audited(AuditEventType.ArrestRead)
            .WithSummary("Read one arrest (any stakeholder role), with its ETag.");
        group.MapGet("/", Search).RequireAuthorization(Policies.Stakeholder).Audited(AuditEventType.ArrestsSearched)
            .WithSummary("Search arrests, newest first, keyset-paged (any stakeholder role).");
        group.MapGet("/{arrestNumber}/history", History).RequireAuthorization(Policies.Stakeholder).Audited(AuditEventType.ArrestHistoryRead)
            .WithSummary("Every event of one arrest, oldest first (any stakeholder role).");
        group.MapPost("/{arrestNumber}/corrections", Correct).RequireAuthorization(Policies.Corrections).Audited(AuditEventType.ArrestCorrected)
            .WithSummary("Correct an arrest (booking officer, records admin). If-Match is required.");
        return group;
    }

    private static async Task<Created<ArrestRecord>> Book(BookArrest request, HttpContext context, ArrestStore store)
    {
        string? key = context.Request.Headers["Idempotency-Key"];
        if (key is not null && (key.Length is 0 or > MaxIdempotencyKeyLength))
        {
            throw new ValidationErrors().Add("Idempotency-Key", "idempotency-key-length", $"Idempotency-Key must be 1 to {MaxIdempotencyKeyLength} characters.").ToException();
        }

        var roles = context.User.FindAll(System.Security.Claims.ClaimTypes.Role).Select(c => c.Value).ToList();
        var result = await store.BookAsync(request, context.User.ToActor(), roles, key, context.RequestAborted);
        SetETag(context, result.Record);
        if (!result.Created)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return TypedResults.Created($"/api/v1/arrests/{result.Record.ArrestNumber}", result.Record);
    }

    private static async Task<Ok<ArrestRecord>> Get(string arrestNumber, HttpContext context, ArrestStore store)
    {
        var record = await store.GetAsync(arrestNumber, context.RequestAborted) ?? throw NotFound(arrestNumber);
        SetETag(context, record);
        return TypedResults.Ok(record);
    }

    private static async Task<Ok<ArrestPage>> Search(HttpContext context, ArrestStore store, ReferenceData reference)
    {
        var errors = new ValidationErrors();
        string? district = null;
        if (Query(context, "district") is { Length: > 0 } d)
        {
            district = reference.Districts.TryFind(d, out var found) ? found.Code : null;
            errors.Require(district is not null, "district", "unknown-district", "district is not a known district.");
        }

        string? statute = null;
        if (Query(context, "statute") is { Length: > 0 } s)
        {
            statute = reference.Statutes.TryFind(s, out var found) ? found.Citation : null;
            errors.Require(statute is not null, "statute", "unknown-statute", "statute is not in the statutes file.");
        }

        ArrestStatus? status = null;
        if (Query(context, "status") is { Length: > 0 } st)
        {
            status = ArrestStatusMachine.TryParse(st, out var parsed) ? parsed : null;
            errors.Require(status is not null, "status", "unknown-status", "status is one of awaiting-charging, charged, declined, arraigned.");
        }

        var lastName = Text(Query(context, "lastName"), "lastName", errors);
        var firstName = Text(Query(context, "firstName"), "firstName", errors);
        var query = new ArrestQuery
        {
            LastName = lastName,
            FirstName = firstName,
            DateOfBirth = Date(Query(context, "dob"), "dob", errors),
            From = Instant(Query(context, "from"), "from", errors),
            To = Instant(Query(context, "to"), "to", errors),
            District = district,
            Statute = statute,
            Status = status,
            After = Cursor(Query(context, "cursor"), errors),
            Limit = Limit(Query(context, "limit"), errors),
        };
        ThrowIfAny(errors);
        return TypedResults.Ok(await store.SearchAsync(query, context.RequestAborted));
    }

    private static async Task<Ok<ArrestHistory>> History(string arrestNumber, HttpContext context, ArrestStore store)
    {
        var events = await store.HistoryAsync(arrestNumber, context.RequestAborted) ?? throw NotFound(arrestNumber);
        return TypedResults.Ok(new ArrestHistory(arrestNumber, events));
    }

    private static async Task<Ok<ArrestRecord>> Correct(string arrestNumber, CorrectArrest request, HttpContext context, ArrestStore store)
    {
        var expected = RequireIfMatch(context);
        var record = await store.CorrectAsync(arrestNumber, expected, request, context.User.ToActor(), context.RequestAborted);
        SetETag(context, record);
        return TypedResults.Ok(record);
    }

    public static DomainException NotFound(string arrestNumber) => new(ErrorCodes.ArrestNotFound, $"No arrest {arrestNumber}.");

    private static string? Text(string? text, string field, ValidationErrors errors)
    {
        if (text is not null && (text.Trim().Length == 0 || text.Length > 100))
        {
            errors.Add(field, "text-length", $"{field} must be 1 to 100 characters.");
            return null;
        }

        return text;
    }
}

public sealed record ArrestHistory(string ArrestNumber, IReadOnlyList<ArrestEvent> Events);
