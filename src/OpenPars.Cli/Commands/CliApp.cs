using Microsoft.Extensions.DependencyInjection;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Arrests;
using OpenPars.Storage.Audit;

namespace OpenPars.Cli.Commands;

/// <summary>
/// One CLI command's run of the application: the same composition the server uses (<see cref="OpenParsApp"/>), on an
/// up-to-date schema, with the command's audit origin (channel <c>cli</c>, the OS user). Commands call use cases
/// through <see cref="Services"/>, so a command is audited and authorized exactly as the same request over HTTP.
/// </summary>
public sealed class CliApp : IAsyncDisposable
{
    private readonly ServiceProvider _root;
    private readonly AsyncServiceScope _scope;

    private CliApp(ServiceProvider root, string command)
    {
        _root = root;
        _scope = root.CreateAsyncScope();
        _scope.ServiceProvider.GetRequiredService<AuditTrail>().Origin = AuditOrigin.Cli(command);
    }

    /// <summary>The command's scope: its use cases, stores and audit trail.</summary>
    public IServiceProvider Services => _scope.ServiceProvider;

    /// <summary>The person at the terminal, as the operator of the store (no OpenPARS identity).</summary>
    public static Caller Operator => Caller.Operator(Environment.UserName);

    /// <summary>A service of the command's scope.</summary>
    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Migrates the store and composes the application for one run of <paramref name="command"/>.</summary>
    public static async Task<CliApp> StartAsync(StorageSettings settings, string command, CancellationToken ct, ReferenceData? reference = null, TimeProvider? clock = null)
    {
        await OpenParsDatabase.MigrateAsync(settings, ct);
        var services = new ServiceCollection();
        services.AddOpenParsApp(new OpenParsAppOptions { Storage = settings, Reference = reference, Clock = clock ?? TimeProvider.System });
        return new CliApp(services.BuildServiceProvider(), command);
    }

    /// <summary>Disposes the scope, then the application.</summary>
    public async ValueTask DisposeAsync()
    {
        await _scope.DisposeAsync();
        await _root.DisposeAsync();
    }
}
