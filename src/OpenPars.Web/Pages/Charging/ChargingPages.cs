using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenPars.App.Arrests;
using OpenPars.App.Charging;
using OpenPars.App.Hosting;
using OpenPars.App.Reference;
using OpenPars.Core.Agencies;
using OpenPars.Core.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Core.Charging;
using OpenPars.Core.Common;
using OpenPars.Web.Audit;
using OpenPars.Web.Pages.Arrests;
using OpenPars.Web.Pages.Shared;
using OpenPars.Web.Security;

namespace OpenPars.Web.Pages.Charging;

/// <summary>The charging desk as a page, over the same <see cref="ChargingUseCases"/> as the API, channel <c>page</c>:
/// the queue (audited as a queue read, live over /api/v1/streams/charging-queue), the decision forms, and the charges
/// editor of a modification (its form audited as a read of the arrest, its submission as the decision).</summary>
public static class ChargingPages
{
    /// <summary>Maps /charging, /charging/{arrestNumber}/decision and /charging/{arrestNumber}/modify (GET, POST).</summary>
    public static IEndpointRouteBuilder MapChargingPages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/charging", Queue).RequireAuthorization(Policies.ChargingAttorney).Audited(AuditEventType.ChargingQueueRead).ExcludeFromDescription();
        routes.MapPost("/charging/{arrestNumber}/decision", Decide).RequireAuthorization(Policies.ChargingAttorney).Audited(AuditEventType.ChargingDecided)
            .ExcludeFromDescription().DisableAntiforgery();
        routes.MapGet("/charging/{arrestNumber}/modify", ChargesEditor).RequireAuthorization(Policies.ChargingAttorney).Audited(AuditEventType.ArrestRead)
            .ExcludeFromDescription();
        routes.MapPost("/charging/{arrestNumber}/modify", Modify).RequireAuthorization(Policies.ChargingAttorney).Audited(AuditEventType.ChargingDecided)
            .ExcludeFromDescription().DisableAntiforgery();
        return routes;
    }

    private static async Task<IResult> ChargesEditor(string arrestNumber, HttpContext context, ArrestUseCases arrests, ReferenceData reference, CityClock city)
    {
        try
        {
            var record = await arrests.GetAsync(context.User.ToCaller(Channels.Page), arrestNumber, context.RequestAborted);
            return ShowEditor(context, reference, record.ArrestNumber, $"{record.Person.LastName}, {record.Person.FirstName}", ArrestForm.From(record, city.Zone), null, 200);
        }
        catch (DomainException refusal)
        {
            return Refusal(context, refusal);
        }
    }

    private static async Task<IResult> Modify(string arrestNumber, HttpContext context, ChargingUseCases charging, ReferenceData reference)
    {
        if (await PageForms.ReadAsync(context, fieldsChecked: true) is not { } posted)
        {
            return PageForms.Refused(context);
        }

        var form = ArrestForm.Read(posted);
        if (posted["action"].ToString() == "add:charges" && form.AddRow("charges"))
        {
            return ShowEditor(context, reference, arrestNumber, null, form, null, 200);
        }

        if (form.ToChargesOnly() is not { } charges)
        {
            await AuditEndpointConventions.RecordRefusalAsync(context, ErrorCodes.ValidationFailed, 400);
            return ShowEditor(context, reference, arrestNumber, null, form, ErrorCodes.ValidationFailed, 400);
        }

        try
        {
            var record = await charging.DecideAsync(context.User.ToCaller(Channels.Page), arrestNumber,
                new ChargingDecision { Outcome = ChargingOutcome.Modify, Charges = charges }, context.RequestAborted);
            return Results.Redirect($"/charging?decided={Uri.EscapeDataString(record.ArrestNumber)}");
        }
        catch (DomainException refusal) when (refusal.Errors is { IsEmpty: false } errors)
        {
            form.Refused(errors.All);
            return ShowEditor(context, reference, arrestNumber, null, form, refusal.Code, ErrorCatalogue.StatusFor(refusal.Code));
        }
        catch (DomainException refusal)
        {
            return Refusal(context, refusal);
        }
    }

    private static RazorComponentResult ShowEditor(HttpContext context, ReferenceData reference, string arrestNumber, string? name, ArrestForm form, string? code, int status) =>
        PageResults.Page<ChargesEditorPage>(context, $"Modify the charges of {arrestNumber}", new Dictionary<string, object?>
        {
            ["ArrestNumber"] = arrestNumber,
            ["Name"] = name,
            ["Form"] = form,
            ["Code"] = code,
            ["Statutes"] = ArrestsPages.Statutes(reference),
        }, status);

    private static RazorComponentResult Refusal(HttpContext context, DomainException refusal) =>
        PageResults.Page<MessagePage>(context, "Decision not recorded", new Dictionary<string, object?>
        {
            ["Message"] = PlainWords(refusal),
            ["Code"] = refusal.Code,
            ["Back"] = "/charging",
        }, ErrorCatalogue.StatusFor(refusal.Code));

    private static async Task<IResult> Queue(HttpContext context, ChargingUseCases charging) =>
        await QueuePageAsync(context, charging, null, null, null, 200);

    private static async Task<IResult> Decide(string arrestNumber, HttpContext context, ChargingUseCases charging)
    {
        if (await PageForms.ReadAsync(context) is not { } form)
        {
            return PageForms.Refused(context);
        }

        var outcome = form["outcome"].ToString();
        var decision = new ChargingDecision
        {
            Outcome = outcome switch { "approve" => ChargingOutcome.Approve, "decline" => ChargingOutcome.Decline, _ => null },
            Reason = outcome == "decline" ? form["reason"].ToString() : null,
        };
        try
        {
            var record = await charging.DecideAsync(context.User.ToCaller(Channels.Page), arrestNumber, decision, context.RequestAborted);
            return Results.Redirect($"/charging?decided={Uri.EscapeDataString(record.ArrestNumber)}");
        }
        catch (DomainException refusal)
        {
            // The refusal is this request's one audit entry; showing the queue too would read it again (a second
            // entry), so the page says why alone, with the way back.
            return Refusal(context, refusal);
        }
    }

    private static async Task<IResult> QueuePageAsync(HttpContext context, ChargingUseCases charging, string? notice, string? error, string? code, int status)
    {
        var queue = await charging.QueueAsync(context.User.ToCaller(Channels.Page), null, "100", context.RequestAborted);
        var decided = context.Request.Query["decided"].ToString();
        return PageResults.Page<ChargingQueuePage>(context, "Charging queue", new Dictionary<string, object?>
        {
            ["Queue"] = queue,
            ["Notice"] = notice ?? (decided.Length is > 0 and < 20 ? $"Decision recorded for {decided}." : null),
            ["Error"] = error,
            ["Code"] = code,
        }, status);
    }

    private static string PlainWords(DomainException refusal) =>
        refusal.Errors is { IsEmpty: false } invalid ? string.Join(" ", invalid.All.Select(e => e.Message)) : refusal.Message;
}
