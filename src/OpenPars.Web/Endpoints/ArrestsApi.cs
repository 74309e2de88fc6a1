using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.Arrests;
using OpenPars.Core.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Storage.Arrests;
using OpenPars.Web.Audit;
using OpenPars.Web.OpenApi;
using OpenPars.Web.Security;
using static OpenPars.Web.Endpoints.HttpConventions;

namespace OpenPars.Web.Endpoints;

/// <summary>Booking, reading, searching and correcting arrests over HTTP (<see cref="ArrestUseCases"/>).</summary>
public static class ArrestsApi
{
    public static RouteGroupBuilder MapArrestsApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/arrests").WithTags("Arrests");

        group.MapPost("/", Book).RequireAuthorization(Policies.Booking).Audited(AuditEventType.ArrestBooked)
            .WithName("bookArrest").WithHeader("Idempotency-Key", required: false, "Makes a retry return the first booking instead of booking twice.").Refuses(ErrorCodes.IdempotencyKeyReused)
            .WithSummary("Book an arrest (booking officer). Idempotency-Key makes a retry return the first booking. A booking more than the backdating window (7 days) in the past needs a records admin's backdatingReason (10 to 1000 characters), recorded in the event and the audit entry; the records admin enters nothing else.");
        group.MapGet("/{arrestNumber}", Get).RequireAuthorization(Policies.Stakeholder).Audited(AuditEventType.ArrestRead)
            .WithName("getArrest").Refuses(ErrorCodes.ArrestNotFound)
            .WithSummary("Read one arrest (any stakeholder role), with its ETag.");
        group.MapGet("/", Search).RequireAuthorization(Policies.Stakeholder).Audited(AuditEventType.ArrestsSearched)
            .WithName("searchArrests").WithQuery("lastName", "Last name (folded: case and accents ignored).").WithQuery("firstName", "First name.").WithQuery("dateOfBirth", "Date of birth, yyyy-MM-dd.").WithQuery("bookedFrom", "Booked at or after this instant (RFC 3339) or day.").WithQuery("bookedTo", "Booked before this instant (RFC 3339) or day.").WithQuery("district", "District code.").WithQuery("statute", "Statute citation.").WithQuery("status", "Arrest status (kebab-case).").WithQuery("cursor", "The cursor of the next page, from the previous answer.").WithQuery("limit", "Page size (1 to 100).").Refuses(ErrorCodes.ValidationFailed, ErrorCodes.UnknownMember)
            .WithSummary("Search arrests, newest first, keyset-paged (any stakeholder role). Criteria: lastName, firstName, dateOfBirth, bookedFrom, bookedTo, district, statute, status.");
        group.MapGet("/{arrestNumber}/history", History).RequireAuthorization(Policies.Stakeholder).Audited(AuditEventType.ArrestHistoryRead)
            .WithName("getArrestHistory").Refuses(ErrorCodes.ArrestNotFound)
            .WithSummary("Every event of one arrest, oldest first (any stakeholder role).");
        group.MapPost("/{arrestNumber}/corrections", Correct).RequireAuthorization(Policies.Corrections).Audited(AuditEventType.ArrestCorrected)
            .WithName("correctArrest").WithHeader("If-Match", required: true, "The ETag of the version being corrected.").Refuses(ErrorCodes.PreconditionRequired, ErrorCodes.ArrestStale, ErrorCodes.ArrestNotFound, ErrorCodes.ConcurrentChange)
            .WithSummary("Correct an arrest (booking officer, records admin). If-Match is required.");
        return group;
    }

    private static async Task<Created<ArrestRecord>> Book(BookArrest request, HttpContext context, ArrestUseCases arrests)
    {
        var result = await arrests.BookAsync(context.User.ToCaller(), request, context.Request.Headers["Idempotency-Key"], context.RequestAborted);
        SetETag(context, result.Record);
        if (!result.Created)
        {
            context.Response.Headers["Idempotent-Replayed"] = "true";
        }

        return TypedResults.Created($"/api/v1/arrests/{result.Record.ArrestNumber}", result.Record);
    }

    private static async Task<Ok<ArrestRecord>> Get(string arrestNumber, HttpContext context, ArrestUseCases arrests)
    {
        var record = await arrests.GetAsync(context.User.ToCaller(), arrestNumber, context.RequestAborted);
        SetETag(context, record);
        return TypedResults.Ok(record);
    }

    private static async Task<Ok<ArrestPage>> Search(HttpContext context, ArrestUseCases arrests)
    {
        RefuseRenamed(context, ArrestSearchRequest.RenamedParameters);
        var request = new ArrestSearchRequest
        {
            LastName = Query(context, "lastName"),
            FirstName = Query(context, "firstName"),
            DateOfBirth = Query(context, "dateOfBirth"),
            BookedFrom = Query(context, "bookedFrom"),
            BookedTo = Query(context, "bookedTo"),
            District = Query(context, "district"),
            Statute = Query(context, "statute"),
            Status = Query(context, "status"),
            Cursor = Query(context, "cursor"),
            Limit = Query(context, "limit"),
        };
        return TypedResults.Ok(await arrests.SearchAsync(context.User.ToCaller(), request, context.RequestAborted));
    }

    private static async Task<Ok<ArrestHistory>> History(string arrestNumber, HttpContext context, ArrestUseCases arrests) =>
        TypedResults.Ok(await arrests.HistoryAsync(context.User.ToCaller(), arrestNumber, context.RequestAborted));

    private static async Task<Ok<ArrestRecord>> Correct(string arrestNumber, CorrectArrest request, HttpContext context, ArrestUseCases arrests)
    {
        var expected = RequireIfMatch(context);
        var record = await arrests.CorrectAsync(context.User.ToCaller(), arrestNumber, expected, request, context.RequestAborted);
        SetETag(context, record);
        return TypedResults.Ok(record);
    }

    public static DomainException NotFound(string arrestNumber) => ArrestUseCases.NotFound(arrestNumber);
}
