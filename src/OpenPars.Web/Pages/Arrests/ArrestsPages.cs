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
/// record with its timeline (stakeholder roles; audited as a history read; live over /api/v1/streams/arrests/{n}); the
/// correction form (booking officer, records admin: the booking form filled with the record, audited as a read; its
/// submission audited as a correction, checked against the version it was opened at).</summary>
public static class ArrestsPages
{
    /// <summary>Maps /arrests/new (GET, POST), /arrests/{arrestNumber} and /arrests/{arrestNumber}/correct (GET, POST).</summary>
    public static IEndpointRouteBuilder MapArrestsPages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/arrests/new", (HttpContext context, ReferenceData reference) => ShowBooking(context, reference, ArrestForm.Empty(), null, 200))
            .RequireAuthorization(Policies.BookingOfficer).Audited(AuditEventType.ArrestBooked).ExcludeFromDescription();
        routes.MapPost("/arrests/new", Book).RequireAuthorization(Policies.BookingOfficer).Audited(AuditEventType.ArrestBooked)
            .ExcludeFromDescription().DisableAntiforgery();
        routes.MapGet("/arrests/{arrestNumber}", Record).RequireAuthorization(Policies.Stakeholder).Audited(AuditEventType.ArrestHistoryRead)
            .ExcludeFromDescription();
        routes.MapGet("/arrests/{arrestNumber}/correct", CorrectionForm).RequireAuthorization(Policies.Corrections).Audited(AuditEventType.ArrestRead)
            .ExcludeFromDescription();
        routes.MapPost("/arrests/{arrestNumber}/correct", Correct).RequireAuthorization(Policies.Corrections).Audited(AuditEventType.ArrestCorrected)
            .ExcludeFromDescription().DisableAntiforgery();
        return routes;
    }

    private static async Task<IResult> CorrectionForm(string arrestNumber, HttpContext context, ArrestUseCases arrests, ReferenceData reference, CityClock city)
    {
        try
        {
            var record = await arrests.GetAsync(context.User.ToCaller(Channels.Page), arrestNumber, context.RequestAborted);
            return ShowCorrection(context, reference, record, ArrestForm.From(record, city.Zone), record.Version, null, null, 200);
        }
        catch (DomainException refusal)
        {
            return NotShown(context, refusal);
        }
    }

    private static async Task<IResult> Correct(string arrestNumber, HttpContext context, ArrestUseCases arrests, ReferenceData reference, CityClock city)
    {
        if (await PageForms.ReadAsync(context, fieldsChecked: true) is not { } posted)
        {
            return PageForms.Refused(context);
        }

        var form = ArrestForm.Read(posted);
        var version = int.TryParse(posted["expectedVersion"], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var v) && v > 0 ? v : 0;
        // The page shows the number of the arrest the form was opened for; nothing of the record is read to show it.
        var shown = new ArrestRecord { ArrestNumber = arrestNumber, Version = version };
        var action = posted["action"].ToString();
        if (action.StartsWith("add:", StringComparison.Ordinal) && form.AddRow(action[4..]))
        {
            return ShowCorrection(context, reference, shown, form, version, null, null, 200);
        }

        if (version == 0)
        {
            form.State.Add("expectedVersion", "required", "The form does not say which version it corrects: open the correction form again.");
            await AuditEndpointConventions.RecordRefusalAsync(context, ErrorCodes.ValidationFailed, 400);
            return ShowCorrection(context, reference, shown, form, version, ErrorCodes.ValidationFailed, null, 400);
        }

        try
        {
            var record = await arrests.CorrectAsync(context.User.ToCaller(Channels.Page), arrestNumber, version,
                current => form.ToCorrection(current, city.Zone) ?? throw new ValidationErrors().Add("", "unreadable", "Some values could not be read; see the fields marked.").ToException(),
                context.RequestAborted);
            return Results.Redirect($"/arrests/{Uri.EscapeDataString(record.ArrestNumber)}?corrected={record.Version}");
        }
        catch (DomainException refusal) when (refusal.Code is ErrorCodes.ArrestStale or ErrorCodes.ConcurrentChange)
        {
            return ShowCorrection(context, reference, shown, form, version, refusal.Code,
                $"Nothing was recorded: the arrest changed after you opened this form (you corrected version {version}). Your changes are still in the form below; compare them with the current version before submitting again.",
                ErrorCatalogue.StatusFor(refusal.Code));
        }
        catch (DomainException refusal) when (refusal.Errors is { IsEmpty: false } errors)
        {
            // An unreadable value is already marked at its field; the rest are the rules the correction broke.
            form.Refused(errors.All.Where(e => e.Rule != "unreadable"));

            return ShowCorrection(context, reference, shown, form, version, refusal.Code, null, ErrorCatalogue.StatusFor(refusal.Code));
        }
        catch (DomainException refusal) when (refusal.Code == ErrorCodes.ArrestNotFound)
        {
            return NotShown(context, refusal);
        }
        catch (DomainException refusal)
        {
            form.State.Add("", "refused", refusal.Message);
            return ShowCorrection(context, reference, shown, form, version, refusal.Code, null, ErrorCatalogue.StatusFor(refusal.Code));
        }
    }

    /// <summary>The districts to choose from, as the booking and correction forms offer them.</summary>
    internal static List<(string, string)> DistrictChoices(ReferenceData reference) =>
        reference.Districts.All.Select(d => (d.Code, $"{d.Code} — {d.Name}")).ToList();

    /// <summary>The statute file as the charges editors suggest it.</summary>
    internal static List<StatuteView> Statutes(ReferenceData reference) =>
        reference.Statutes.All.Select(s => new StatuteView(s.Citation, s.Title, s.DefaultGrade, s.Category)).ToList();

    private static RazorComponentResult NotShown(HttpContext context, DomainException refusal) =>
        PageResults.Page<MessagePage>(context, "Arrest not shown", new Dictionary<string, object?>
        {
            ["Message"] = refusal.Message,
            ["Code"] = refusal.Code,
        }, ErrorCatalogue.StatusFor(refusal.Code));

    private static RazorComponentResult ShowCorrection(HttpContext context, ReferenceData reference, ArrestRecord record, ArrestForm form, int version, string? code, string? stale, int status) =>
        PageResults.Page<BookingPage>(context, $"Correct arrest {record.ArrestNumber}", new Dictionary<string, object?>
        {
            ["Form"] = form,
            ["Code"] = code,
            ["IdempotencyKey"] = "",
            ["Correcting"] = record,
            ["ExpectedVersion"] = version,
            ["Stale"] = stale,
            ["DistrictChoices"] = DistrictChoices(reference),
            ["Statutes"] = Statutes(reference),
        }, status);

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
                ["Notice"] = context.Request.Query.ContainsKey("booked") ? $"Arrest {record.ArrestNumber} is booked and in the charging queue."
                    : context.Request.Query.ContainsKey("corrected") ? $"The correction of arrest {record.ArrestNumber} is recorded." : null,
                ["CanCorrect"] = context.User.IsInRole(Roles.BookingOfficer) || context.User.IsInRole(Roles.RecordsAdmin),
            });
        }
        catch (DomainException refusal)
        {
            return NotShown(context, refusal);
        }
    }

    private static RazorComponentResult ShowBooking(HttpContext context, ReferenceData reference, ArrestForm form, string? code, int status, string? idempotencyKey = null) =>
        PageResults.Page<BookingPage>(context, "Book an arrest", new Dictionary<string, object?>
        {
            ["Form"] = form,
            ["Code"] = code,
            ["IdempotencyKey"] = idempotencyKey is { Length: > 0 and <= ArrestUseCases.MaxIdempotencyKeyLength } ? idempotencyKey : "page-" + Guid.NewGuid().ToString("N"),
            ["DistrictChoices"] = DistrictChoices(reference),
            ["Statutes"] = Statutes(reference),
        }, status);
}
