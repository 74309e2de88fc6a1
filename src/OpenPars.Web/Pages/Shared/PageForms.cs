using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.Core.Agencies;
using OpenPars.Web.Audit;

namespace OpenPars.Web.Pages.Shared;

/// <summary>Every page form is read here, after its antiforgery token is checked: a form posted from elsewhere, or
/// without the token, is refused with PARS-PAGE-001 (a 400 page, audited as the endpoint's refusal) and changes nothing.</summary>
public static class PageForms
{
    /// <summary>The posted form, or null once the refusal page is written (the handler then returns it as is).</summary>
    public static async Task<IFormCollection?> ReadAsync(HttpContext context)
    {
        var antiforgery = context.RequestServices.GetRequiredService<IAntiforgery>();
        if (context.Request.HasFormContentType && await antiforgery.IsRequestValidAsync(context))
        {
            return await context.Request.ReadFormAsync(context.RequestAborted);
        }

        await AuditEndpointConventions.RecordRefusalAsync(context, PageErrorCodes.AntiforgeryFailed, 400);
        return null;
    }

    /// <summary>The refusal page of a form whose antiforgery check failed.</summary>
    public static IResult Refused(HttpContext context) =>
        PageResults.Page<MessagePage>(context, "Form not accepted", new Dictionary<string, object?>
        {
            ["Message"] = "This form was not accepted: reload the page and send it again.",
            ["Code"] = PageErrorCodes.AntiforgeryFailed,
            ["Back"] = "/desk",
        }, 400);

    /// <summary>A local path to return to; anything else (another site, a scheme-relative URL) is the desk.</summary>
    public static string LocalOrDesk(string? url) =>
        url is { Length: > 0 and < 2000 } && url[0] == '/' && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal)
            ? url : "/desk";
}
