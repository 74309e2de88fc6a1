using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.Oversight;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Web.Audit;
using OpenPars.Web.Pages.Shared;
using OpenPars.Web.Security;

namespace OpenPars.Web.Pages.Oversight;

/// <summary>The oversight dashboard as pages, over the same <see cref="OversightUseCases"/> as the API, channel
/// <c>page</c>, for privacy officers and stakeholder representatives: without a partner chosen, every alert (one alerts
/// read, 12003); with one, its usage by day, its disparity with intervals and its alerts (one report read, 12006), the
/// charts drawn on the server as SVG with their numbers in a table beside; an alert acknowledged with a statement.</summary>
public static class OversightPages
{
    /// <summary>Maps /oversight and /oversight/alerts/{id}/acknowledge.</summary>
    public static IEndpointRouteBuilder MapOversightPages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/oversight", Dashboard).RequireAuthorization(Policies.Overseer).Audited(AuditEventType.OversightReportRead).ExcludeFromDescription();
        routes.MapPost("/oversight/alerts/{id}/acknowledge", Acknowledge).RequireAuthorization(Policies.Overseer).Audited(AuditEventType.OversightAlertAcknowledged)
            .ExcludeFromDescription().DisableAntiforgery();
        return routes;
    }

    private static async Task<IResult> Dashboard(HttpContext context, OversightUseCases oversight)
    {
        var form = new FormState();
        foreach (var (name, label) in new[] { ("agency", "Partner agency"), ("from", "From"), ("to", "To") })
        {
            form.Label(name, label);
            form[name] = context.Request.Query[name].ToString();
        }

        var caller = context.User.ToCaller(Channels.Page);
        var acknowledged = context.Request.Query["acknowledged"].ToString();
        var parameters = new Dictionary<string, object?>
        {
            ["Form"] = form,
            ["Notice"] = acknowledged.Length is > 0 and <= 64 ? $"Acknowledgement recorded for alert {acknowledged}." : null,
        };
        try
        {
            if (form.Text("agency") is { } agency)
            {
                parameters["Report"] = await oversight.ReportAsync(caller, agency, form.Text("from"), form.Text("to"), context.RequestAborted);
            }
            else
            {
                parameters["Alerts"] = await oversight.AlertsAsync(caller, null, context.RequestAborted);
            }

            return PageResults.Page<OversightDashboardPage>(context, "Oversight", parameters);
        }
        catch (DomainException refusal)
        {
            form.Add(refusal.Errors?.All ?? [new FieldError("", refusal.Code, refusal.Message)]);
            parameters["Code"] = refusal.Code;
            return PageResults.Page<OversightDashboardPage>(context, "Oversight", parameters, ErrorCatalogue.StatusFor(refusal.Code));
        }
    }

    private static async Task<IResult> Acknowledge(string id, HttpContext context, OversightUseCases oversight)
    {
        if (await PageForms.ReadAsync(context) is not { } form)
        {
            return PageForms.Refused(context);
        }

        var back = "/oversight" + (form["agency"].ToString() is { Length: > 0 and <= 64 } agency ? $"?agency={Uri.EscapeDataString(agency)}" : "");
        try
        {
            var alert = await oversight.AcknowledgeAsync(context.User.ToCaller(Channels.Page), id, form["statement"].ToString() is { Length: > 0 } s ? s : null, context.RequestAborted);
            return Results.Redirect(back + (back.Contains('?', StringComparison.Ordinal) ? "&" : "?") + $"acknowledged={Uri.EscapeDataString(alert.Id)}");
        }
        catch (DomainException refusal)
        {
            // The refusal is this request's one entry: the page says why alone, with the way back.
            return PageResults.Page<MessagePage>(context, "Acknowledgement not recorded", new Dictionary<string, object?>
            {
                ["Message"] = refusal.Errors is { IsEmpty: false } invalid ? string.Join(" ", invalid.All.Select(e => e.Message)) : refusal.Message,
                ["Code"] = refusal.Code,
                ["Back"] = back,
            }, ErrorCatalogue.StatusFor(refusal.Code));
        }
    }
}
