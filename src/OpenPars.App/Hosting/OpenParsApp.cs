using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using OpenPars.App.Agreements;
using OpenPars.App.Arraignment;
using OpenPars.App.Arrests;
using OpenPars.App.Audit;
using OpenPars.App.Charging;
using OpenPars.App.Charter;
using OpenPars.App.Feeds;
using OpenPars.App.Identity;
using OpenPars.App.Oversight;
using OpenPars.App.PartnerAccess;
using OpenPars.App.Reference;
using OpenPars.App.Transparency;
using OpenPars.App.Webhooks;
using OpenPars.Core.Arrests;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Agreements;
using OpenPars.Storage.Arrests;
using OpenPars.Storage.Audit;
using OpenPars.Storage.Charter;
using OpenPars.Storage.Common;
using OpenPars.Storage.Oversight;
using OpenPars.Storage.Webhooks;

namespace OpenPars.App.Hosting;

/// <summary>
/// The one composition of the application, shared by every adapter: storage for the configured provider, the stores,
/// the audit log and its group writer, and the use cases. The web host calls it once; each CLI command builds a
/// provider from it, so a command and a request run the same use cases with the same audit.
/// </summary>
public static class OpenParsApp
{
    public static IServiceCollection AddOpenParsApp(this IServiceCollection services, OpenParsAppOptions options)
    {
        services.AddSingleton(options);
        services.AddSingleton(options.Clock);
        services.AddSingleton(options.Reference ?? ReferenceData.LoadDefault());
        services.AddSingleton(new CityClock(options.Clock, TimeZoneInfo.FindSystemTimeZoneById(options.TimeZone)));
        services.AddOpenParsStorage(options.Storage);

        services.AddScoped<ArrestStore>();
        services.AddScoped<IdentityStore>();
        services.AddSingleton<CredentialCache>();
        // The secret boxes (webhook and TOTP secrets sealed at rest), their key files beside the audit key.
        services.AddSingleton(new SecretBoxes(options.AuditKeyPath ?? options.Storage.AuditKeyPath()));
        services.AddScoped<SignInStore>();
        services.AddScoped<SignInUseCases>();
        services.AddScoped<AuditReader>();
        services.AddScoped<AgreementStore>();
        services.AddSingleton<AgreementCache>();
        services.AddScoped<CharterStore>();
        services.AddScoped<PartnerAccessLog>();
        services.AddScoped<PartnerLookReader>();
        services.AddScoped<AuditTrail>();
        services.AddSingleton(_ => AuditSigning.LoadOrCreate(options.AuditKeyPath ?? options.Storage.AuditKeyPath()));
        services.AddSingleton<AuditLog>();
        services.AddSingleton(sp => new GroupCommitAuditWriter(
            () => OpenParsDatabase.CreateContext(options.Storage),
            sp.GetRequiredService<AuditLog>(),
            sp.GetService<ILogger<GroupCommitAuditWriter>>() ?? NullLogger<GroupCommitAuditWriter>.Instance));
        services.AddSingleton<IAuditEntrySink>(sp => sp.GetRequiredService<GroupCommitAuditWriter>());

        services.AddSingleton<StoreHealth>();
        services.AddScoped<AuditScope>();
        services.AddScoped<ArrestUseCases>();
        services.AddScoped<ChargingUseCases>();
        services.AddScoped<ArraignmentUseCases>();
        services.AddScoped<IdentityUseCases>();
        services.AddScoped<AgreementUseCases>();
        services.AddScoped<CharterUseCases>();
        services.AddScoped<PartnerAccessUseCases>();
        services.AddScoped<AuditUseCases>();
        services.AddScoped<ReferenceUseCases>();

        services.AddSingleton<FeedSignal>();
        services.AddSingleton(sp => new FeedDispatcher(options, sp.GetRequiredService<FeedSignal>(),
            sp.GetService<ILogger<FeedDispatcher>>() ?? NullLogger<FeedDispatcher>.Instance));
        services.AddScoped<FeedUseCases>();
        services.AddSingleton(options.Oversight);
        services.AddScoped<OversightAlertStore>();
        services.AddScoped<DisparityMeasurement>();
        services.AddScoped<OversightUseCases>();
        services.AddScoped<OversightAlertEvaluator>();
        services.AddScoped<OversightAlertStreams>();
        services.AddScoped<TransparencyUseCases>();
        services.AddScoped<TransparencyPublishing>();
        services.AddScoped<Storage.Watches.WatchStore>();
        services.AddScoped<Watches.WatchUseCases>();
        services.AddScoped<Watches.PartnerStreamUseCases>();
        services.AddScoped<Watches.WatchMatcher>();

        // Webhooks: the options are resolved from the container (a test host replaces them); the secret box's key
        // file, beside the audit key, is made on first use (SecretBoxes).
        services.AddSingleton(options.Webhooks);
        services.AddScoped<WebhookStore>();
        services.AddScoped<WebhookUseCases>();
        services.AddSingleton(sp => new WebhookWorker(options, sp.GetRequiredService<WebhookOptions>(), sp.GetRequiredService<AuditLog>(), options.Clock,
            sp.GetRequiredService<SecretBoxes>(), sp.GetService<ILogger<WebhookWorker>>() ?? NullLogger<WebhookWorker>.Instance,
            sp.GetRequiredService<FeedDispatcher>()));
        return services;
    }
}
