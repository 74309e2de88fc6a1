using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.Charging;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Charging;
using OpenPars.Core.Common;
using OpenPars.Web.Audit;
using OpenPars.Web.Pages.Shared;
using OpenPars.Web.Security;

namespace OpenPars.Web.Pages.Charging;

/// <summary>The charging desk as a page, over the same <see cref="ChargingUseCases"/> as the API, channel <c>page</c>:
/// the queue (audited as a queue read, live over /api/v1/streams/charging-queue) and the decision forms.</summary>
public static class ChargingPages
{
    /// <summary>Maps /charging and /charging/{arrestNumber}/decision.</summary>
    public static IEndpointRouteBuilder MapChargingPages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/charging", Queue).RequireAuthorization(Policies.ChargingAttorney).Audited(AuditEventType.ChargingQueueRead).ExcludeFromDescription();
        routes.MapPost("/charging/{arrestNumber}/decision", Decide).RequireAuthorization(Policies.ChargingAttorney).Audited(AuditEventType.ChargingDecided)
            .ExcludeFromDescription().DisableAntiforgery();
        return routes;
    }

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
            return PageResults.Page<MessagePage>(context, "Decision not recorded", new Dictionary<string, object?>
            {
                ["Message"] = PlainWords(refusal),
                ["Code"] = refusal.Code,
                ["Back"] = "/charging",
            }, ErrorCatalogue.StatusFor(refusal.Code));
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
