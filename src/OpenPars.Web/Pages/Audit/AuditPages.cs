using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.Audit;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Web.Audit;
using OpenPars.Web.Pages.Shared;
using OpenPars.Web.Security;

namespace OpenPars.Web.Pages.Audit;

/// <summary>The privacy officer's audit explorer as pages, over the same <see cref="AuditUseCases"/> as the API,
/// channel <c>page</c>: the filtered, paged entries (one entries read, 6001) and one entry with what proves it (one
/// inclusion-proof read, 6003). The entry page embeds the entry's bytes, its inclusion path and the newest signed
/// checkpoint as data; <c>/pages/proof.js</c> checks them in the browser with WebCrypto, so the browser, not the
/// server, says "proven".</summary>
public static partial class AuditPages
{
    /// <summary>The filters of the explorer, by the use case's own names (the query string the form sends).</summary>
    public static readonly IReadOnlyList<(string Name, string Label)> Filters =
    [
        ("from", "From (UTC)"), ("to", "Before (UTC)"), ("eventType", "Event type"), ("agency", "Agency"), ("actor", "User"),
        ("outcome", "Outcome"), ("arrestNumber", "Arrest number"),
    ];

    /// <summary>Maps /audit and /audit/entries/{index}.</summary>
    public static IEndpointRouteBuilder MapAuditPages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/audit", Explorer).RequireAuthorization(Policies.PrivacyOfficer).Audited(AuditEventType.AuditEntriesRead).ExcludeFromDescription();
        routes.MapGet("/audit/entries/{index}", Entry).RequireAuthorization(Policies.PrivacyOfficer).Audited(AuditEventType.AuditInclusionProofRead).ExcludeFromDescription();
        return routes;
    }

    private static async Task<IResult> Explorer(HttpContext context, AuditUseCases audit)
    {
        var form = new FormState();
        foreach (var (name, label) in Filters)
        {
            form.Label(name, label);
            form[name] = context.Request.Query[name].ToString();
        }

        var request = new AuditEntriesRequest
        {
            From = Instant(form.Text("from")),
            To = Instant(form.Text("to")),
            EventType = form.Text("eventType"),
            Agency = form.Text("agency"),
            Actor = form.Text("actor"),
            Outcome = form.Text("outcome"),
            ArrestNumber = form.Text("arrestNumber"),
            Cursor = Blank(context.Request.Query["cursor"].ToString()),
            Limit = "25",
        };
        try
        {
            var page = await audit.EntriesAsync(context.User.ToCaller(Channels.Page), request, context.RequestAborted);
            return PageResults.Page<AuditExplorerPage>(context, "Audit explorer", new Dictionary<string, object?>
            {
                ["Form"] = form,
                ["Entries"] = page,
                ["NextHref"] = page.NextCursor is { } next ? context.Request.Path + QueryWith(context, "cursor", next) : null,
            });
        }
        catch (DomainException refusal)
        {
            // The refusal is this request's entry; the filters are shown again with each message at its control.
            form.Add(refusal.Errors?.All ?? [new FieldError("", refusal.Code, refusal.Message)]);
            return PageResults.Page<AuditExplorerPage>(context, "Audit explorer", new Dictionary<string, object?>
            {
                ["Form"] = form,
                ["Code"] = refusal.Code,
            }, ErrorCatalogue.StatusFor(refusal.Code));
        }
    }

    private static async Task<IResult> Entry(string index, HttpContext context, AuditUseCases audit)
    {
        try
        {
            var proven = await audit.ProvenEntryAsync(context.User.ToCaller(Channels.Page), index, context.RequestAborted);
            return PageResults.Page<AuditProofPage>(context, $"Audit entry {proven.Index.ToString(CultureInfo.InvariantCulture)}", new Dictionary<string, object?>
            {
                ["Proven"] = proven,
            });
        }
        catch (DomainException refusal)
        {
            return PageResults.Page<MessagePage>(context, "Audit entry", new Dictionary<string, object?>
            {
                ["Message"] = refusal.Errors is { IsEmpty: false } invalid ? string.Join(" ", invalid.All.Select(e => e.Message)) : refusal.Message,
                ["Code"] = refusal.Code,
                ["Back"] = "/audit",
            }, ErrorCatalogue.StatusFor(refusal.Code));
        }
    }

    /// <summary>A <c>datetime-local</c> value (yyyy-MM-ddTHH:mm, read as UTC) as the RFC 3339 instant the use case
    /// reads; anything else is passed as typed, for the use case to accept or refuse by its rule.</summary>
    public static string? Instant(string? typed) =>
        typed is null ? null : LocalMinute().IsMatch(typed) ? typed + ":00Z" : LocalSecond().IsMatch(typed) ? typed + "Z" : typed;

    private static string? Blank(string value) => value.Length == 0 ? null : value;

    private static string QueryWith(HttpContext context, string name, string value)
    {
        var query = context.Request.Query.Where(q => q.Key != name && q.Value.ToString().Length > 0)
            .Select(q => $"{Uri.EscapeDataString(q.Key)}={Uri.EscapeDataString(q.Value.ToString())}")
            .Append($"{Uri.EscapeDataString(name)}={Uri.EscapeDataString(value)}");
        return "?" + string.Join('&', query);
    }

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$")]
    private static partial Regex LocalMinute();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")]
    private static partial Regex LocalSecond();
}
