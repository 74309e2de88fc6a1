using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.Hosting;
using OpenPars.App.PartnerAccess;
using OpenPars.App.Watches;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Web.Audit;
using OpenPars.Web.Pages.Shared;
using OpenPars.Web.Security;

namespace OpenPars.Web.Pages.Partner;

/// <summary>The partner analyst's desk as pages (<see cref="Policies.PartnerAnalyst"/>), over the same use cases as
/// the API, channel <c>page</c>: the agency's own agreement (<see cref="PartnerAccessUseCases.TermsAsync"/>, audited
/// <c>partner.agreement-read</c>), the search (the form is drawn from those terms; each search is
/// <see cref="PartnerAccessUseCases.SearchAsync"/>, <c>partner.search</c>, allowed or refused) and the agency's watches
/// (<see cref="WatchUseCases"/>: list, register, cancel). A refusal is shown with its code and rule in plain words and
/// the form as typed.</summary>
public static class PartnerPages
{
    /// <summary>The statement fields every partner request carries.</summary>
    public static readonly string[] StatementFields = ["purpose", "reason", "caseNumber"];

    /// <summary>The criteria a watch may name (the ones that identify one person).</summary>
    public static readonly string[] WatchCriteria =
        [SearchCriteria.Sid, SearchCriteria.FbiNumber, SearchCriteria.Pid, SearchCriteria.ArrestNumber, SearchCriteria.LastName, SearchCriteria.FirstName, SearchCriteria.DateOfBirth];

    private const string ShownPurposes = "shown.purposes";
    private const string ShownCriteria = "shown.criteria";

    /// <summary>Maps /partner/agreement, /partner/search (GET, POST), /partner/watches (GET, POST) and
    /// /partner/watches/{id}/cancel.</summary>
    public static IEndpointRouteBuilder MapPartnerPages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/partner/agreement", Terms).RequireAuthorization(Policies.PartnerAnalyst).Audited(AuditEventType.PartnerAgreementRead).ExcludeFromDescription();
        routes.MapGet("/partner/search", SearchForm).RequireAuthorization(Policies.PartnerAnalyst).Audited(AuditEventType.PartnerAgreementRead).ExcludeFromDescription();
        routes.MapPost("/partner/search", Search).RequireAuthorization(Policies.PartnerAnalyst).Audited(AuditEventType.PartnerSearch)
            .ExcludeFromDescription().DisableAntiforgery();
        routes.MapGet("/partner/watches", Watches).RequireAuthorization(Policies.PartnerAnalyst).Audited(AuditEventType.WatchesListed).ExcludeFromDescription();
        routes.MapPost("/partner/watches", Register).RequireAuthorization(Policies.PartnerAnalyst).Audited(AuditEventType.WatchRegistered)
            .ExcludeFromDescription().DisableAntiforgery();
        routes.MapPost("/partner/watches/{id}/cancel", Cancel).RequireAuthorization(Policies.PartnerAnalyst).Audited(AuditEventType.WatchCancelled)
            .ExcludeFromDescription().DisableAntiforgery();
        return routes;
    }

    private static async Task<IResult> Terms(HttpContext context, PartnerAccessUseCases partner)
    {
        try
        {
            var terms = await partner.TermsAsync(context.User.ToCaller(Channels.Page), context.RequestAborted);
            return PageResults.Page<PartnerTermsPage>(context, "Our agreement", new Dictionary<string, object?> { ["Terms"] = terms });
        }
        catch (DomainException refusal)
        {
            return PageResults.Page<PartnerTermsPage>(context, "Our agreement", new Dictionary<string, object?>
            {
                ["Code"] = refusal.Code,
                ["Message"] = refusal.Message,
            }, ErrorCatalogue.StatusFor(refusal.Code));
        }
    }

    /// <summary>The search form, drawn from the agreement in force: its purposes and the criteria it allows. Reading
    /// them is the page's one entry (<c>partner.agreement-read</c>); an agreement not in force is its refusal.</summary>
    private static async Task<IResult> SearchForm(HttpContext context, PartnerAccessUseCases partner)
    {
        var form = PartnerForms.Empty();
        try
        {
            var terms = await partner.TermsAsync(context.User.ToCaller(Channels.Page), context.RequestAborted);
            var document = terms.Standing.Document!;
            return SearchPage(context, form, document.Purposes, Searchable(document.AllowedCriteria), null, null, null, 200);
        }
        catch (DomainException refusal)
        {
            return SearchPage(context, form, [], [], null, refusal.Code, refusal.Message, ErrorCatalogue.StatusFor(refusal.Code));
        }
    }

    private static async Task<IResult> Search(HttpContext context, PartnerAccessUseCases partner)
    {
        if (await PageForms.ReadAsync(context, fieldsChecked: true) is not { } posted)
        {
            return PageForms.Refused(context);
        }

        var form = PartnerForms.Read(posted);
        var purposes = Listed(posted[ShownPurposes].ToString(), 20);
        var shown = Searchable(Listed(posted[ShownCriteria].ToString(), SearchCriteria.All.Count));
        PartnerForms.RequireStatement(form);
        if (form.HasErrors)
        {
            await AuditEndpointConventions.RecordRefusalAsync(context, ErrorCodes.ValidationFailed, 400);
            return SearchPage(context, form, purposes, shown, null, ErrorCodes.ValidationFailed, null, 400);
        }

        // Every other field is a criterion as typed: the decision, not the page, refuses one the agreement does not
        // allow or that may never be searched (a forged field reaches the same rule as a forged query string).
        var criteria = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in posted)
        {
            if (!name.StartsWith("__", StringComparison.Ordinal) && !name.StartsWith("shown.", StringComparison.Ordinal)
                && !StatementFields.Contains(name) && values.ToString().Trim() is { Length: > 0 } value)
            {
                criteria[name] = value;
            }
        }

        try
        {
            var disclosure = await partner.SearchAsync(context.User.ToCaller(Channels.Page), criteria, Statement(form), context.RequestAborted);
            return SearchPage(context, form, purposes, shown, disclosure, null, null, 200);
        }
        catch (DomainException refusal)
        {
            await AuditEndpointConventions.RecordRefusalAsync(context, refusal.Code, ErrorCatalogue.StatusFor(refusal.Code));
            PartnerForms.MarkField(form, refusal);
            return SearchPage(context, form, purposes, shown, null, refusal.Code, refusal.Message, ErrorCatalogue.StatusFor(refusal.Code));
        }
    }

    private static async Task<IResult> Watches(HttpContext context, WatchUseCases watches)
    {
        var list = await watches.ListAsync(context.User.ToCaller(Channels.Page), context.RequestAborted);
        var registered = context.Request.Query["registered"].ToString();
        var cancelled = context.Request.Query["cancelled"].ToString();
        var notice = registered.Length is > 0 and <= 40 ? $"Watch {registered} is registered."
            : cancelled.Length is > 0 and <= 40 ? $"Watch {cancelled} is cancelled." : null;
        return WatchesPage(context, list, PartnerForms.Empty(), notice, null, null, 200);
    }

    private static async Task<IResult> Register(HttpContext context, WatchUseCases watches, CityClock city)
    {
        if (await PageForms.ReadAsync(context, fieldsChecked: true) is not { } posted)
        {
            return PageForms.Refused(context);
        }

        var form = PartnerForms.Read(posted);
        PartnerForms.RequireStatement(form);
        var expiresAt = form.LocalDateTime("expiresAt", city.Zone);
        if (form.HasErrors)
        {
            await AuditEndpointConventions.RecordRefusalAsync(context, ErrorCodes.ValidationFailed, 400);
            return WatchesPage(context, null, form, null, ErrorCodes.ValidationFailed, null, 400);
        }

        var criteria = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in posted)
        {
            if (name.StartsWith("criteria.", StringComparison.Ordinal) && name.Length > 9 && values.ToString().Trim() is { Length: > 0 } value)
            {
                criteria[name[9..]] = value;
            }
        }

        try
        {
            var watch = await watches.RegisterAsync(context.User.ToCaller(Channels.Page), new WatchRequest(criteria, expiresAt), Statement(form), context.RequestAborted);
            return Results.Redirect($"/partner/watches?registered={Uri.EscapeDataString(watch.Id)}");
        }
        catch (DomainException refusal)
        {
            await AuditEndpointConventions.RecordRefusalAsync(context, refusal.Code, ErrorCatalogue.StatusFor(refusal.Code));
            if (refusal.Errors is { IsEmpty: false } errors)
            {
                form.Add(errors.All);
            }

            PartnerForms.MarkField(form, refusal);
            return WatchesPage(context, null, form, null, refusal.Code, refusal.Message, ErrorCatalogue.StatusFor(refusal.Code));
        }
    }

    private static async Task<IResult> Cancel(string id, HttpContext context, WatchUseCases watches)
    {
        if (await PageForms.ReadAsync(context) is null)
        {
            return PageForms.Refused(context);
        }

        try
        {
            var watch = await watches.CancelAsync(context.User.ToCaller(Channels.Page), id, context.RequestAborted);
            return Results.Redirect($"/partner/watches?cancelled={Uri.EscapeDataString(watch.Id)}");
        }
        catch (DomainException refusal)
        {
            return PageResults.Refused(context, "Watch not cancelled", refusal, "/partner/watches");
        }
    }

    private static PartnerStatement Statement(FormState form) => new(form.Text("purpose"), form.Text("reason"), form.Text("caseNumber"));

    /// <summary>Known search criteria only, in the vocabulary's order (what the form draws a control for).</summary>
    private static IReadOnlyList<string> Searchable(IEnumerable<string> names)
    {
        var set = names.ToHashSet(StringComparer.Ordinal);
        return [.. SearchCriteria.All.Where(set.Contains)];
    }

    private static IReadOnlyList<string> Listed(string text, int max) =>
        [.. text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).Where(p => p.Length <= 100).Take(max)];

    private static RazorComponentResult SearchPage(HttpContext context, FormState form, IReadOnlyList<string> purposes, IReadOnlyList<string> criteria,
        PartnerDisclosure? results, string? code, string? message, int status) =>
        PageResults.Page<PartnerSearchPage>(context, "Partner search", new Dictionary<string, object?>
        {
            ["Form"] = form,
            ["Purposes"] = purposes,
            ["Criteria"] = criteria,
            ["Results"] = results,
            ["Code"] = code,
            ["Message"] = message,
        }, status);

    private static RazorComponentResult WatchesPage(HttpContext context, IReadOnlyList<WatchView>? watches, FormState form, string? notice, string? code, string? message, int status) =>
        PageResults.Page<WatchesPage>(context, "Watches", new Dictionary<string, object?>
        {
            ["Watches"] = watches,
            ["Form"] = form,
            ["Notice"] = notice,
            ["Code"] = code,
            ["Message"] = message,
        }, status);
}

/// <summary>The partner forms' fields: labels, the statement they all require, and where a refusal belongs.</summary>
public static class PartnerForms
{
    /// <summary>An empty search or watch form, labelled.</summary>
    public static FormState Empty() => Describe(new FormState());

    /// <summary>A posted search or watch form (every field one line).</summary>
    public static FormState Read(IFormCollection posted) => Describe(FormState.Read(posted, _ => false));

    /// <summary>Refuses a blank purpose, reason or case number at its field: every partner request states all three.</summary>
    public static void RequireStatement(FormState form)
    {
        ArgumentNullException.ThrowIfNull(form);
        foreach (var field in PartnerPages.StatementFields)
        {
            if (form.Text(field) is null && !form.Errors.Any(e => e.Field == field))
            {
                form.Add(field, "required", $"{field} is required: every partner request states its purpose, reason and case number.");
            }
        }
    }

    /// <summary>Puts a refusal of the statement next to its field (the policy names no field; its code does).</summary>
    public static void MarkField(FormState form, DomainException refusal)
    {
        ArgumentNullException.ThrowIfNull(form);
        ArgumentNullException.ThrowIfNull(refusal);
        var field = refusal.Code switch
        {
            AgreementErrorCodes.PurposeNotAllowed => "purpose",
            AgreementErrorCodes.ReasonMissing or AgreementErrorCodes.ReasonBlockedTerm => "reason",
            AgreementErrorCodes.CaseNumberMissing => "caseNumber",
            _ => null,
        };
        if (field is not null)
        {
            form.Add(field, refusal.Code, refusal.Message);
        }
    }

    /// <summary>What a criterion is called on the form.</summary>
    public static string CriterionLabel(string name) => name switch
    {
        SearchCriteria.ArrestNumber => "Arrest number",
        SearchCriteria.LastName => "Last name",
        SearchCriteria.FirstName => "First name",
        SearchCriteria.DateOfBirth => "Date of birth (yyyy-MM-dd)",
        SearchCriteria.Sid => "SID",
        SearchCriteria.FbiNumber => "FBI number",
        SearchCriteria.Pid => "PID",
        SearchCriteria.BookedFrom => "Booked from (RFC 3339 instant)",
        SearchCriteria.BookedTo => "Booked to (RFC 3339 instant)",
        SearchCriteria.District => "District",
        SearchCriteria.Statute => "Statute",
        _ => name,
    };

    /// <summary>A disclosed value as text: strings as they are, lists joined, objects as "name: value".</summary>
    public static string Text(JsonNode? node) => node switch
    {
        null => "—",
        JsonValue value => value.TryGetValue<string>(out var s) ? s : value.ToJsonString(),
        JsonArray array => array.Count == 0 ? "none" : string.Join("; ", array.Select(Text)),
        JsonObject obj => string.Join(", ", obj.Where(p => p.Value is not null).Select(p => $"{p.Key}: {Text(p.Value)}")),
        _ => node.ToJsonString(),
    };

    private static FormState Describe(FormState form)
    {
        form.Label("purpose", "Purpose");
        form.Label("reason", "Reason for this request");
        form.Label("caseNumber", "Case number");
        form.Label("criteria", "Who (one identified person)");
        form.Label("expiresAt", "Watch until (local time; blank: the agreement's expiry)");
        foreach (var name in SearchCriteria.All)
        {
            form.Label(name, CriterionLabel(name));
        }

        foreach (var name in PartnerPages.WatchCriteria)
        {
            form.Label($"criteria.{name}", CriterionLabel(name));
        }

        return form;
    }
}
