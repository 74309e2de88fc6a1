using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Compliance.Classification;
using Microsoft.Extensions.Compliance.Redaction;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.Http.HttpResults;
using OpenPars.App.Audit;
using OpenPars.App.Hosting;
using OpenPars.Core.Common;
using OpenPars.Web.Audit;
using OpenPars.Web.Endpoints;
using OpenPars.Web.Pages;
using OpenPars.Web.Pages.Agreements;
using OpenPars.Web.Pages.Arraignment;
using OpenPars.Web.Pages.Identity;
using OpenPars.Web.Pages.Audit;
using OpenPars.Web.Pages.Arrests;
using OpenPars.Web.Pages.Charging;
using OpenPars.Web.Pages.Desk;
using OpenPars.Web.Pages.Partner;
using OpenPars.Web.Pages.Oversight;
using OpenPars.Web.Pages.Shared;
using OpenPars.Web.Pages.SignIn;
using OpenPars.Web.Pages.Transparency;
using OpenPars.Web.Pages.Webhooks;
using OpenPars.Web.Problems;
using OpenPars.Web.Security;
using Scalar.AspNetCore;

namespace OpenPars.Web.Hosting;

/// <summary>Builds the one OpenPARS server: the API, the pages, on the configured store.</summary>
public static class OpenParsHost
{
    /// <summary>Builds the app. <paramref name="configure"/> lets tests add a log collector or swap a service.</summary>
    public static WebApplication Build(OpenParsHostOptions options, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = typeof(OpenParsHost).Assembly.GetName().Name });
        builder.WebHost.UseKestrel(k =>
        {
            k.Limits.MaxRequestBodySize = OpenParsHostOptions.MaxRequestBodyBytes;
            k.AddServerHeader = false;
            if (options.ListenOnLoopbackPort0)
            {
                k.Listen(IPAddress.Loopback, 0);
            }
        });
        if (!options.ListenOnLoopbackPort0)
        {
            builder.WebHost.UseUrls(options.Urls);
        }

        ConfigureLogging(builder);
        ConfigureServices(builder.Services, options);
        configure?.Invoke(builder);

        var app = builder.Build();
        MapAll(app);
        return app;
    }

    private static void ConfigureLogging(WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.EntityFrameworkCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.Warning);
        builder.Logging.AddFilter("OpenPars.Web.Security", LogLevel.Warning);

        // Any value classified sensitive that reaches a log call is erased, not printed.
        builder.Logging.EnableRedaction();
        builder.Services.AddRedaction(r => r.SetRedactor<ErasingRedactor>(new DataClassificationSet(OpenParsTaxonomy.Sensitive)));
    }

    private static void ConfigureServices(IServiceCollection services, OpenParsHostOptions options)
    {
        services.AddSingleton(options);
        services.AddOpenParsApp(options.ToAppOptions());
        services.AddHostedService<FeedDispatcherService>();
        services.AddHostedService<WebhookWorkerService>();

        services.ConfigureHttpJsonOptions(o => OpenParsJson.Configure(o.SerializerOptions));
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.AddProblemDetails();
        services.AddExceptionHandler<OpenParsExceptionHandler>();

        services.AddAuthentication(PageSessionHandler.SelectorScheme)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, BearerTokenHandler>(BearerTokenHandler.SchemeName, null)
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, PageSessionHandler>(PageSessionHandler.SchemeName, null)
            .AddPolicyScheme(PageSessionHandler.SelectorScheme, null, o => o.ForwardDefaultSelector = PageSessionHandler.Select);
        services.AddRazorComponents();
        services.AddAntiforgery(o =>
        {
            o.Cookie.Name = "openpars-antiforgery";
            o.Cookie.HttpOnly = true;
            o.Cookie.SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Strict;
            o.Cookie.SecurePolicy = Microsoft.AspNetCore.Http.CookieSecurePolicy.SameAsRequest;
            o.SuppressXFrameOptionsHeader = true;
        });
        services.AddAuthorization(Policies.Add);
        services.AddSingleton(options.RateLimits);
        services.AddSingleton(sp => new AuthenticationAbuseLimiter(sp.GetRequiredService<RateLimitSettings>(), sp.GetRequiredService<TimeProvider>()));
        services.AddPartnerRateLimit();
        services.AddOpenApi(OpenApi.OpenApiContract.Configure);
        if (options.WatchMatchInterval is { } matchEvery)
        {
            services.AddSingleton(sp => new WatchMatcherService(sp, sp.GetRequiredService<ILogger<WatchMatcherService>>(), matchEvery));
            services.AddHostedService(sp => sp.GetRequiredService<WatchMatcherService>());
        }

        if (options.OversightEvaluationInterval is { } every)
        {
            services.AddHostedService(sp => new OversightEvaluatorService(sp, sp.GetRequiredService<ILogger<OversightEvaluatorService>>(), every));
        }
    }

    /// <summary>Some refusals are made by the framework with an empty body (no route, a non-JSON body, a body
    /// over the limit); they get the same problem shape and stable codes as ours.</summary>
    private static Task EmptyErrorAsProblem(HttpContext context)
    {
        var status = context.Response.StatusCode;
        return ProblemResults.FrameworkRefusal(status, context.Request.Method) is { } refusal
            ? ProblemResults.RefuseAsync(context, status, refusal.Code, refusal.Title, refusal.Detail)
            : Task.CompletedTask;
    }

    private static void MapAll(WebApplication app)
    {
        app.UseExceptionHandler();
        app.UsePageHeaders();
        app.UseStatusCodePages(ctx => EmptyErrorAsProblem(ctx.HttpContext));
        app.UseAuthentication();
        app.UseAuditOrigin();
        app.UseAuthorization();
        app.UseRateLimiter();
        app.UseControlCharacterGuard();

        app.MapGet("/healthz", async Task<Results<Ok<StoreHealthReport>, JsonHttpResult<StoreHealthReport>>> (StoreHealth health, CancellationToken ct) =>
            await health.CheckAsync(ct) is var report && report.Status == "ok"
                ? TypedResults.Ok(report)
                : TypedResults.Json(report, statusCode: StatusCodes.Status503ServiceUnavailable))
            .AllowAnonymous().WithTags("Health").WithName("getHealth")
            .WithSummary("Health (anonymous): 200 while the server runs on a store whose events the audit log vouches for; 503 with the damage found (PARS-AUD-004), or with the failing dependency when the database cannot be read or written (PARS-SRV-100).");
        app.MapOpenApi("/openapi/{documentName}.json").AllowAnonymous();
        app.MapScalarApiReference("/docs", o => o.WithTitle("OpenPARS API").WithOpenApiRoutePattern("/openapi/{documentName}.json")).AllowAnonymous();
        app.MapPages();
        app.MapPageAssets();
        app.MapSignInPages();
        app.MapDeskPages();
        app.MapChargingPages();
        app.MapArrestsPages();
        app.MapArraignmentPages();
        app.MapAgreementsPages();
        app.MapPartnerPages();
        app.MapAuditPages();
        app.MapOversightPages();
        app.MapAdministrationPages();
        app.MapWebhookPages();
        app.MapTransparencyPages();
        app.MapArrestsApi();
        app.MapChargingApi();
        app.MapArraignmentApi();
        app.MapReferenceApi();
        app.MapAdministrationApi();
        app.MapAuditApi();
        app.MapAgreementsApi();
        app.MapPartnerApi();
        app.MapCharterApi();
        app.MapFeedsApi();
        app.MapOversightApi();
        app.MapWatchesApi();
        app.MapTransparencyApi();
        app.MapWebhooksApi();
    }
}
