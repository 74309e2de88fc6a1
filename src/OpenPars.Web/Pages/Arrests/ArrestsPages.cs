using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.Arrests;
using OpenPars.App.Hosting;
using OpenPars.App.Reference;
using OpenPars.Core.Agencies;
using OpenPars.Core.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Web.Audit;
using OpenPars.Web.Pages.Shared;
using OpenPars.Web.Security;

namespace OpenPars.Web.Pages.Arrests;

/// <summary>The police desk and every stakeholder's record, over the same <see cref="ArrestUseCases"/> as the API,
/// channel <c>page</c>: the booking form (booking officer; audited as a booking, its refusals too) and one arrest's
/// record with its timeline (stakeholder roles; audited as a history read; live over /api/v1/streams/arrests/{n}).</summary>
public static class ArrestsPages
{
    /// <summary>Maps /arrests/new (GET, POST) and /arrests/{arrestNumber}.</summary>
    public static IEndpointRouteBuilder MapArrestsPages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/arrests/new", (HttpContext context, ReferenceData reference) => ShowBooking(context, reference, ArrestForm.Empty(), null, 200))
            .RequireAuthorization(Policies.BookingOfficer).Audited(AuditEventType.ArrestBooked).ExcludeFromDescription();
        routes.MapPost("/arrests/new", Book).RequireAuthorization(Policies.BookingOfficer).Audited(AuditEventType.ArrestBooked)
            .ExcludeFromDescription().DisableAntiforgery();
        routes.MapGet("/arrests/{arrestNumber}", Record).RequireAuthorization(Policies.Stakeholder).Audited(AuditEventType.ArrestHistoryRead)
            .ExcludeFromDescription();
        return routes;
    }

    private static async Task<IResult> Book(HttpContext context, ArrestUseCases arrests, ReferenceData reference, CityClock city)
    {
        if (await PageForms.ReadAsync(context, fieldsChecked: true) is not { } posted)
        {
            return PageForms.Refused(context);
        }

        var form = ArrestForm.Read(posted);
        var action = posted["action"].ToString();
        if (action.StartsWith("add:", StringComparison.Ordinal) && form.AddRow(action[4..]))
        {
            // "Add another": the same form again with one more row; nothing is booked, nothing is read.
            return ShowBooking(context, reference, form, null, 200, posted["idempotencyKey"]);
        }

        if (form.ToBooking(city.Zone) is not { } booking)
        {
            await AuditEndpointConventions.RecordRefusalAsync(context, ErrorCodes.ValidationFailed, 400);
            return ShowBooking(context, reference, form, ErrorCodes.ValidationFailed, 400, posted["idempotencyKey"]);
        }

        try
        {
            var key = posted["idempotencyKey"].ToString() is { Length: > 0 } k ? k : null;
            var result = await arrests.BookAsync(context.User.ToCaller(Channels.Page), booking, key, context.RequestAborted);
            return Results.Redirect($"/arrests/{Uri.EscapeDataString(result.Record.ArrestNumber)}?booked=1");
        }
        catch (DomainException refusal) when (refusal.Errors is { IsEmpty: false } errors)
        {
            form.Refused(errors.All);
            return ShowBooking(context, reference, form, refusal.Code, ErrorCatalogue.StatusFor(refusal.Code), posted["idempotencyKey"]);
        }
        catch (DomainException refusal)
        {
            form.State.Add("", "refused", refusal.Message);
            return ShowBooking(context, reference, form, refusal.Code, ErrorCatalogue.StatusFor(refusal.Code), posted["idempotencyKey"]);
        }
    }

    private static async Task<IResult> Record(string arrestNumber, HttpContext context, ArrestUseCases arrests)
    {
        try
        {
            // One use case, one entry: the history, folded here into the record it makes (the store folds the same way).
            var history = await arrests.HistoryAsync(context.User.ToCaller(Channels.Page), arrestNumber, context.RequestAborted);
            var record = ArrestProjection.Fold(history.Events);
            return PageResults.Page<RecordPage>(context, $"Arrest {record.ArrestNumber}", new Dictionary<string, object?>
            {
                ["Record"] = record,
                ["Events"] = history.Events,
                ["Notice"] = context.Request.Query.ContainsKey("booked") ? $"Arrest {record.ArrestNumber} is booked and in the charging queue." : null,
            });
        }
        catch (DomainException refusal)
        {
            return PageResults.Page<MessagePage>(context, "Arrest not shown", new Dictionary<string, object?>
            {
                ["Message"] = refusal.Message,
                ["Code"] = refusal.Code,
            }, ErrorCatalogue.StatusFor(refusal.Code));
        }
    }

    private static RazorComponentResult<BookingPage> ShowBooking(HttpContext context, ReferenceData reference, ArrestForm form, string? code, int status, string? idempotencyKey = null) =>
        PageResults.Page<BookingPage>(context, "Book an arrest", new Dictionary<string, object?>
        {
            ["Form"] = form,
            ["Code"] = code,
            ["IdempotencyKey"] = idempotencyKey is { Length: > 0 and <= ArrestUseCases.MaxIdempotencyKeyLength } ? idempotencyKey : "page-" + Guid.NewGuid().ToString("N"),
            ["DistrictChoices"] = reference.Districts.All.Select(d => (d.Code, $"{d.Code} — {d.Name}")).ToList(),
            ["Statutes"] = reference.Statutes.All.Select(s => new StatuteView(s.Citation, s.Title, s.DefaultGrade, s.Category)).ToList(),
        }, status);
}
