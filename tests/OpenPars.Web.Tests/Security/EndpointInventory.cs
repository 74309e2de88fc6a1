using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OpenPars.Web.Tests.Security;

/// <summary>Every endpoint the running server actually maps (API, pages, documents), read from its routing, so no
/// endpoint can hide from the tests.</summary>
public static partial class EndpointInventory
{
    public sealed record MappedRoute(string Name, RouteEndpoint Endpoint);

    public static IReadOnlyList<MappedRoute> Routes(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>() is not null && e.RoutePattern.RawText is not null)
            .SelectMany(e => e.Metadata.GetMetadata<HttpMethodMetadata>()!.HttpMethods.Select(m => new MappedRoute($"{m} {Normalize(e.RoutePattern.RawText!)}", e)))
            .ToList();

    /// <summary>"/api/v1/arrests/{arrestNumber}" → "/api/v1/arrests/{n}"; "/users/{id:long}" → "/users/{id}"; no trailing slash.</summary>
    private static string Normalize(string pattern)
    {
        var text = pattern.Replace("{arrestNumber}", "{n}", StringComparison.Ordinal);
        text = ConstraintPattern().Replace(text, "{$1}");
        return text.Length > 1 ? text.TrimEnd('/') : text;
    }

    [GeneratedRegex(@"\{(\w+):\w+\}")]
    private static partial Regex ConstraintPattern();
}
