using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.Arraignment;
using OpenPars.App.Arrests;
using OpenPars.Core.Agencies;
using OpenPars.Core.Arraignment;
using OpenPars.Core.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Web.Audit;
using OpenPars.Web.Pages.Shared;
using OpenPars.Web.Security;

namespace OpenPars.Web.Pages.Arraignment;

/// <summary>The arraignment court as pages (magistrate), over <see cref="ArraignmentUseCases"/>, channel <c>page</c>:
/// the day's list (audited as a list read, live over /api/v1/streams/arraignment-list) and the arraignment form (the
/// arrest read through <see cref="ArrestUseCases.GetAsync"/>, the record through <see cref="ArraignmentUseCases.RecordAsync"/>).</summary>
public static class ArraignmentPages
{
    /// <summary>Maps /arraignment and /arraignment/{arrestNumber} (GET, POST).</summary>
    public static IEndpointRouteBuilder MapArraignmentPages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/arraignment", List).RequireAuthorization(Policies.Magistrate).Audited(AuditEventType.ArraignmentListRead).ExcludeFromDescription();
        routes.MapGet("/arraignment/{arrestNumber}", Form).RequireAuthorization(Policies.Magistrate).Audited(AuditEventType.ArrestRead).ExcludeFromDescription();
        routes.MapPost("/arraignment/{arrestNumber}", Record).RequireAuthorization(Policies.Magistrate).Audited(AuditEventType.ArraignmentRecorded)
            .ExcludeFromDescription().DisableAntiforgery();
        return routes;
    }

    private static async Task<IResult> List(HttpContext context, ArraignmentUseCases arraignment, string? date)
    {
        try
        {
            var list = await arraignment.ListAsync(context.User.ToCaller(Channels.Page), date, context.RequestAborted);
            var recorded = context.Request.Query["recorded"].ToString();
            return PageResults.Page<ArraignmentListPage>(context, "Arraignment list", new Dictionary<string, object?>
            {
                ["List"] = list,
                ["Notice"] = recorded.Length is > 0 and < 20 ? $"Arraignment recorded for {recorded}." : null,
            });
        }
        catch (DomainException refusal)
        {
            return Message(context, "List not shown", refusal, "/arraignment");
        }
    }

    private static async Task<IResult> Form(string arrestNumber, HttpContext context, ArrestUseCases arrests)
    {
        try
        {
            var record = await arrests.GetAsync(context.User.ToCaller(Channels.Page), arrestNumber, context.RequestAborted);
            var form = ArraignmentForm.Empty();
            form["magistrate"] = context.User.ToCaller(Channels.Page).UserName;
            return FormPage(context, record.ArrestNumber, $"{record.Person.LastName}, {record.Person.FirstName}", form, null, 200);
        }
        catch (DomainException refusal)
        {
            return Message(context, "Arrest not shown", refusal, "/arraignment");
        }
    }

    private static async Task<IResult> Record(string arrestNumber, HttpContext context, ArraignmentUseCases arraignment)
    {
        if (await PageForms.ReadAsync(context, fieldsChecked: true) is not { } posted)
        {
            return PageForms.Refused(context);
        }

        var form = ArraignmentForm.Read(posted);
        var person = posted["person"].ToString();
        if (ArraignmentForm.ToRecord(form) is not { } record)
        {
            await AuditEndpointConventions.RecordRefusalAsync(context, ErrorCodes.ValidationFailed, 400);
            return FormPage(context, arrestNumber, person, form, ErrorCodes.ValidationFailed, 400);
        }

        try
        {
            var arrest = await arraignment.RecordAsync(context.User.ToCaller(Channels.Page), arrestNumber, record, context.RequestAborted);
            return Results.Redirect($"/arraignment?recorded={Uri.EscapeDataString(arrest.ArrestNumber)}");
        }
        catch (DomainException refusal)
        {
            form.Add(refusal.Errors is { IsEmpty: false } errors ? errors.All : [new FieldError("", "refused", refusal.Message)]);
            return FormPage(context, arrestNumber, person, form, refusal.Code, ErrorCatalogue.StatusFor(refusal.Code));
        }
    }

    private static RazorComponentResult FormPage(HttpContext context, string arrestNumber, string person, FormState form, string? code, int status) =>
        PageResults.Page<ArraignmentFormPage>(context, $"Arraignment of {arrestNumber}", new Dictionary<string, object?>
        {
            ["ArrestNumber"] = arrestNumber,
            ["Person"] = person.Length <= 210 ? person : person[..210],
            ["Form"] = form,
            ["Code"] = code,
        }, status);

    private static RazorComponentResult Message(HttpContext context, string title, DomainException refusal, string back) =>
        PageResults.Page<MessagePage>(context, title, new Dictionary<string, object?>
        {
            ["Message"] = refusal.Errors is { IsEmpty: false } e ? string.Join(" ", e.All.Select(x => x.Message)) : refusal.Message,
            ["Code"] = refusal.Code,
            ["Back"] = back,
        }, ErrorCatalogue.StatusFor(refusal.Code));
}

/// <summary>The arraignment form: bail type and amount, conditions (one a line), docket, custody, next hearing.</summary>
public static class ArraignmentForm
{
    /// <summary>The empty form, labelled.</summary>
    public static FormState Empty() => Describe(new FormState());

    /// <summary>The posted form (conditions keep their line breaks).</summary>
    public static FormState Read(IFormCollection posted) => Describe(FormState.Read(posted, key => key == "conditions"));

    /// <summary>The record typed, or null when a value cannot be read (the refusals are then in the form).</summary>
    public static ArraignmentRecord? ToRecord(FormState form)
    {
        ArgumentNullException.ThrowIfNull(form);
        var record = new ArraignmentRecord
        {
            Magistrate = form["magistrate"].Trim(),
            BailType = form.Choice<BailType>("bailType"),
            BailAmount = form.Amount("bailAmount"),
            Conditions = form["conditions"].Split('\n', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList(),
            DocketNumber = form["docketNumber"].Trim(),
            Custody = form.Choice<CustodyOutcome>("custody"),
            NextHearingDate = form.Date("nextHearingDate"),
            NextHearingCourtroom = form.Text("nextHearingCourtroom"),
        };
        return form.HasErrors ? null : record;
    }

    /// <summary>The bail types.</summary>
    public static IReadOnlyList<(string Value, string Label)> BailChoices { get; } = FormState.Choices<BailType>();

    /// <summary>Held or released.</summary>
    public static IReadOnlyList<(string Value, string Label)> CustodyChoices { get; } = FormState.Choices<CustodyOutcome>();

    private static FormState Describe(FormState form)
    {
        form.Label("magistrate", "Magistrate");
        form.Label("bailType", "Bail type");
        form.Label("bailAmount", "Bail amount (dollars)");
        form.Label("conditions", "Conditions (one a line)");
        form.Label("docketNumber", "Docket number");
        form.Label("custody", "Custody");
        form.Label("nextHearingDate", "Next hearing date");
        form.Label("nextHearingCourtroom", "Next hearing courtroom");
        return form;
    }
}
