using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using OpenPars.App.Identity;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Web.Audit;
using OpenPars.Web.Pages.Shared;
using OpenPars.Web.Security;
using QRCoder;

namespace OpenPars.Web.Pages.SignIn;

/// <summary>Sign-in (password, then TOTP or a recovery code; first sign-in enrols the authenticator) and sign-out,
/// over <see cref="SignInUseCases"/>. The password step sets the pending cookie, the code step swaps it for the
/// session cookie (a new secret: a cookie seen before the second factor never signs in).</summary>
public static class SignInPages
{
    /// <summary>Maps /sign-in, /sign-in/code and /sign-out.</summary>
    public static IEndpointRouteBuilder MapSignInPages(this IEndpointRouteBuilder routes)
    {
        routes.MapGet("/sign-in", (HttpContext context, string? returnUrl) =>
            PageResults.Page<SignInPage>(context, "Sign in", new Dictionary<string, object?> { ["ReturnUrl"] = PageForms.LocalOrDesk(returnUrl) }))
            .AllowAnonymous().ExcludeFromDescription();
        routes.MapPost("/sign-in", Password).AllowAnonymous().ExcludeFromDescription().Audited(AuditEventType.SignInPassword).DisableAntiforgery();
        routes.MapGet("/sign-in/code", Code).AllowAnonymous().ExcludeFromDescription().Audited(AuditEventType.SecondFactorEnrolled);
        routes.MapPost("/sign-in/code", SubmitCode).AllowAnonymous().ExcludeFromDescription().Audited(AuditEventType.SignInCode).DisableAntiforgery();
        routes.MapPost("/sign-out", SignOut).RequireAuthorization(Policies.Authenticated).ExcludeFromDescription().Audited(AuditEventType.SignedOut).DisableAntiforgery();
        return routes;
    }

    private static async Task<IResult> Password(HttpContext context, SignInUseCases signIn)
    {
        if (await PageForms.ReadAsync(context) is not { } form)
        {
            return PageForms.Refused(context);
        }

        var returnUrl = PageForms.LocalOrDesk(form["returnUrl"]);
        try
        {
            var pending = await signIn.PasswordAsync(form["userName"], form["password"], context.RequestAborted);
            context.Response.Cookies.Append(PageSessionHandler.PendingCookie, pending, PageSessionHandler.CookieOptions(context));
            return Results.Redirect("/sign-in/code?returnUrl=" + Uri.EscapeDataString(returnUrl), preserveMethod: false);
        }
        catch (DomainException refusal)
        {
            return PageResults.Page<SignInPage>(context, "Sign in", new Dictionary<string, object?>
            {
                ["UserName"] = form["userName"].ToString(),
                ["ReturnUrl"] = returnUrl,
                ["Error"] = refusal.Code == ErrorCodes.ValidationFailed ? "The user name or the password is wrong." : refusal.Message,
                ["Code"] = refusal.Code,
            }, ErrorCatalogue.StatusFor(refusal.Code));
        }
    }

    private static async Task<IResult> Code(HttpContext context, SignInUseCases signIn, string? returnUrl)
    {
        var pending = context.Request.Cookies[PageSessionHandler.PendingCookie];
        var back = PageForms.LocalOrDesk(returnUrl);
        switch (await signIn.NeedsEnrolmentAsync(pending, context.RequestAborted))
        {
            case null:
                return Results.Redirect("/sign-in?returnUrl=" + Uri.EscapeDataString(back));
            case false:
                return PageResults.Page<CodePage>(context, "Enter your code", new Dictionary<string, object?> { ["ReturnUrl"] = back });
            default:
                var enrolment = await signIn.EnrolPendingAsync(pending, context.RequestAborted);
                context.Response.Headers.CacheControl = "no-store";
                return PageResults.Page<CodePage>(context, "Set up your second factor", new Dictionary<string, object?>
                {
                    ["ReturnUrl"] = back,
                    ["Enrolment"] = enrolment,
                    ["QrDataUri"] = "data:image/png;base64," + Convert.ToBase64String(PngByteQRCodeHelper.GetQRCode(enrolment.OtpAuthUri, QRCodeGenerator.ECCLevel.M, 6)),
                });
        }
    }

    private static async Task<IResult> SubmitCode(HttpContext context, SignInUseCases signIn)
    {
        if (await PageForms.ReadAsync(context) is not { } form)
        {
            return PageForms.Refused(context);
        }

        var returnUrl = PageForms.LocalOrDesk(form["returnUrl"]);
        try
        {
            var session = await signIn.CodeAsync(context.Request.Cookies[PageSessionHandler.PendingCookie], form["code"], context.RequestAborted);
            context.Response.Cookies.Delete(PageSessionHandler.PendingCookie, PageSessionHandler.CookieOptions(context));
            context.Response.Cookies.Append(PageSessionHandler.SessionCookie, session, PageSessionHandler.CookieOptions(context));
            return Results.Redirect(returnUrl);
        }
        catch (DomainException refusal) when (refusal.Code is Core.Agencies.SignInErrorCodes.WrongCode or Core.Agencies.SignInErrorCodes.CodeReplayed)
        {
            return PageResults.Page<CodePage>(context, "Enter your code", new Dictionary<string, object?>
            {
                ["ReturnUrl"] = returnUrl,
                ["Error"] = refusal.Message,
                ["Code"] = refusal.Code,
            }, ErrorCatalogue.StatusFor(refusal.Code));
        }
        catch (DomainException refusal)
        {
            // Locked, or no pending password: back to the start, saying why.
            context.Response.Cookies.Delete(PageSessionHandler.PendingCookie, PageSessionHandler.CookieOptions(context));
            return PageResults.Page<SignInPage>(context, "Sign in", new Dictionary<string, object?>
            {
                ["ReturnUrl"] = returnUrl,
                ["Error"] = refusal.Message,
                ["Code"] = refusal.Code,
            }, ErrorCatalogue.StatusFor(refusal.Code));
        }
    }

    private static async Task<IResult> SignOut(HttpContext context, SignInUseCases signIn)
    {
        if (await PageForms.ReadAsync(context) is null)
        {
            return PageForms.Refused(context);
        }

        await signIn.SignOutAsync(context.User.ToCaller(Core.Agencies.Channels.Page), context.Request.Cookies[PageSessionHandler.SessionCookie], context.RequestAborted);
        context.Response.Cookies.Delete(PageSessionHandler.SessionCookie, PageSessionHandler.CookieOptions(context));
        return Results.Redirect("/sign-in");
    }
}
