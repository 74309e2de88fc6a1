using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using OpenPars.Core.Agencies;
using OpenPars.Core.Common;
using OpenPars.Web.Security;

namespace OpenPars.Web.Pages.Shared;

/// <summary>What every page's layout needs from its request: who is signed in (null on the sign-in pages), the
/// page's title, the antiforgery field every form carries, and the path (to mark the current navigation item).</summary>
/// <param name="Caller">The signed-in caller, channel <c>page</c>; null when nobody is.</param>
/// <param name="Title">The page's title (the h1 and the document title).</param>
/// <param name="AntiforgeryField">The form field name of the antiforgery token.</param>
/// <param name="AntiforgeryToken">The request token for this user (its cookie half is set with the page).</param>
/// <param name="Path">The request path.</param>
public sealed record PageFrame(Caller? Caller, string Title, string AntiforgeryField, string AntiforgeryToken, string Path);

/// <summary>How an endpoint answers with a page: a Razor component rendered on the server (static SSR through
/// <see cref="RazorComponentResult{TComponent}"/>), given its <see cref="PageFrame"/> as the <c>Frame</c> parameter.</summary>
public static class PageResults
{
    /// <summary>The page <typeparamref name="TPage"/> with <paramref name="parameters"/> (and <c>Frame</c>).</summary>
    /// <remarks>Typed as the non-generic <see cref="RazorComponentResult"/>: the request delegate generator runs
    /// before the Razor generator, so a handler's return type must not name a component.</remarks>
    public static RazorComponentResult Page<TPage>(HttpContext context, string title, IReadOnlyDictionary<string, object?>? parameters = null, int status = 200)
        where TPage : IComponent
    {
        var all = new Dictionary<string, object?>(parameters ?? new Dictionary<string, object?>(), StringComparer.Ordinal)
        {
            ["Frame"] = Frame(context, title),
        };
        return new RazorComponentResult<TPage>(all) { StatusCode = status };
    }

    /// <summary>A use case's refusal as a page of its own: its message and code, at the catalogue's status, with the
    /// way back to <paramref name="back"/>.</summary>
    public static RazorComponentResult Refused(HttpContext context, string title, DomainException refusal, string back)
    {
        ArgumentNullException.ThrowIfNull(refusal);
        return Page<MessagePage>(context, title, new Dictionary<string, object?>
        {
            ["Message"] = refusal.Message,
            ["Code"] = refusal.Code,
            ["Back"] = back,
        }, ErrorCatalogue.StatusFor(refusal.Code));
    }

    /// <summary>Writes the page <typeparamref name="TPage"/> now (from a handler that is not an endpoint, e.g. the 403).</summary>
    public static Task RenderAsync<TPage>(HttpContext context, int status, IReadOnlyDictionary<string, object?> parameters)
        where TPage : IComponent, IPageTitle =>
        Page<TPage>(context, TPage.PageTitle, parameters, status).ExecuteAsync(context);

    /// <summary>The frame of this request.</summary>
    public static PageFrame Frame(HttpContext context, string title)
    {
        var tokens = context.RequestServices.GetRequiredService<IAntiforgery>().GetAndStoreTokens(context);
        return new PageFrame(context.User.ToCallerOrNull(Channels.Page), title, tokens.FormFieldName, tokens.RequestToken ?? "", context.Request.Path);
    }
}

/// <summary>A page whose title is fixed (rendered outside an endpoint).</summary>
public interface IPageTitle
{
    /// <summary>The page's title.</summary>
    static abstract string PageTitle { get; }
}
