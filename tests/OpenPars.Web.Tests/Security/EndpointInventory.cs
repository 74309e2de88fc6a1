using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace OpenPars.Web.Tests.Security;

/// <summary>The endpoints the running server actually maps, read from its routing, so no endpoint can hide from the tests.</summary>
public static partial class EndpointInventory
{
    public sealed record MappedRoute(string Name, RouteEndpoint Endpoint);

    public static IReadOnlyList<MappedRoute> Routes(IServiceProvider services) =>
        services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<HttpMethodMetadata>() is not null)
            .Where(e => e.RoutePattern.RawText is { } raw && (raw.StartsWith("/api/", StringComparison.Ordinal) || raw == "/healthz"))
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

public sealed class EndpointPolicyTests(WebServerFixture fixture) : IClassFixture<WebServerFixture>
{
    [Fact]
    public void Every_endpoint_states_who_may_call_it()
    {
        var routes = EndpointInventory.Routes(fixture.Server.Services);
        Assert.NotEmpty(routes);
        foreach (var route in routes)
        {
            var anonymous = route.Endpoint.Metadata.GetMetadata<IAllowAnonymous>() is not null;
            var policies = route.Endpoint.Metadata.GetOrderedMetadata<IAuthorizeData>().Where(a => a.Policy is not null).ToList();
            Assert.True(anonymous || policies.Count > 0, $"{route.Name} names no authorization policy");
        }
    }
}
