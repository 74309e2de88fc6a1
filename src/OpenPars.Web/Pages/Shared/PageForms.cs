using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.Core.Agencies;
using OpenPars.Core.Common;
using OpenPars.Web.Audit;

namespace OpenPars.Web.Pages.Shared;

/// <summary>Every page form is read here, after its antiforgery token is checked: a form posted from elsewhere, or
/// without the token, is refused with PARS-PAGE-001 (a 400 page, audited as the endpoint's refusal) and changes nothing.
/// A form field (name or value) holding a control character other than tab and line breaks is refused the same way
/// with PARS-REQ-006, as the API's <c>ControlCharacterGuard</c> refuses a JSON body: a page hands its values to the
/// same use cases, and a NUL must not reach PostgreSQL's text type (a server failure) or a reader's screen.</summary>
public static class PageForms
{
    private const string RefusalKey = "openpars.page-form-refusal";
    private const string FieldKey = "openpars.page-form-field";

    /// <summary>The posted form, or null once the refusal is recorded (the handler then returns <see cref="Refused"/>).
    /// A handler that reads the form through <see cref="FormState"/> passes <paramref name="fieldsChecked"/>: that
    /// names each field holding a control character next to it (single-line fields refuse line breaks too), which
    /// serves the person filling the form better than this whole-form refusal. A NUL is refused here either way:
    /// ASP.NET's form reader cannot read a form that holds one.</summary>
    public static async Task<IFormCollection?> ReadAsync(HttpContext context, bool fieldsChecked = false)
    {
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        try
        {
            if (!context.Request.HasFormContentType || !await antiforgery.IsRequestValidAsync(context))
            {
                return await RefuseAsync(context, PageErrorCodes.AntiforgeryFailed);
            }
        }
        catch (AntiforgeryValidationException unreadable) when (unreadable.InnerException is InvalidDataException formError)
        {
            // The antiforgery check reads the form first, and ASP.NET's form reader refuses a NUL (%00) anywhere in it
            // ("The form value contains invalid characters") or a form past its limits: that was a 500.
            return await RefuseAsync(context, formError.InnerException is InvalidOperationException ? ErrorCodes.ValidationFailed : ErrorCodes.BodyTooLarge);
        }

        var form = await context.Request.ReadFormAsync(context.RequestAborted);
        if (fieldsChecked)
        {
            return form;
        }

        foreach (var (name, values) in form)
        {
            if (ControlCharacters.AnyRefused(name, freeText: false) || values.Any(v => v is not null && ControlCharacters.AnyRefused(v, freeText: true)))
            {
                // The field is named when its name is one of ours (letters, digits, dots, brackets); never its value.
                context.Items[FieldKey] = name.Length <= 64 && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '[' or ']' or '-' or '_') ? name : null;
                return await RefuseAsync(context, ErrorCodes.ValidationFailed);
            }
        }

        return form;
    }

    private static async Task<IFormCollection?> RefuseAsync(HttpContext context, string code)
    {
        context.Items[RefusalKey] = code;
        await AuditEndpointConventions.RecordRefusalAsync(context, code, ErrorCatalogue.StatusFor(code));
        return null;
    }

    /// <summary>The refusal page of a form <see cref="ReadAsync"/> did not accept, naming why.</summary>
    public static IResult Refused(HttpContext context)
    {
        var code = context.Items[RefusalKey] as string ?? PageErrorCodes.AntiforgeryFailed;
        return PageResults.Page<MessagePage>(context, "Form not accepted", new Dictionary<string, object?>
        {
            ["Message"] = code switch
            {
                ErrorCodes.ValidationFailed => $"This form was not accepted: {(context.Items[FieldKey] is string field ? $"the field {field}" : "a field")} holds a control character (an invisible character such as NUL or escape; rule {ControlCharacters.Rule}). Remove it and send the form again.",
                ErrorCodes.BodyTooLarge => "This form was not accepted: it is larger than a form may be.",
                _ => "This form was not accepted: reload the page and send it again.",
            },
            ["Code"] = code,
            ["Back"] = "/desk",
        }, ErrorCatalogue.StatusFor(code));
    }

    /// <summary>A local path to return to; anything else (another site, a scheme-relative URL) is the desk.</summary>
    public static string LocalOrDesk(string? url) =>
        url is { Length: > 0 and < 2000 } && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url : "/desk";
}
