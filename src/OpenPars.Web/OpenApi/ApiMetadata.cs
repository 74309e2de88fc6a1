using Microsoft.AspNetCore.Builder;

namespace OpenPars.Web.OpenApi;

/// <summary>The refusal codes an endpoint can answer beyond those its other metadata implies (authentication,
/// roles, audit, a JSON body); the API description lists them, grouped by status, from the error catalogue.</summary>
public sealed record RefusalCodes(IReadOnlyList<string> Codes);

/// <summary>A query parameter or request header an endpoint reads itself (not through a bound parameter).</summary>
public sealed record DocumentedInput(string Name, bool InHeader, bool Required, string Description);

public static class ApiMetadata
{
    /// <summary>Declares refusal codes this endpoint answers (see <see cref="RefusalCodes"/>).</summary>
    public static TBuilder Refuses<TBuilder>(this TBuilder builder, params string[] codes)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new RefusalCodes(codes));

    /// <summary>Declares an optional query parameter the handler reads from the query string.</summary>
    public static TBuilder WithQuery<TBuilder>(this TBuilder builder, string name, string description)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new DocumentedInput(name, InHeader: false, Required: false, description));

    /// <summary>Declares a request header the handler reads.</summary>
    public static TBuilder WithHeader<TBuilder>(this TBuilder builder, string name, bool required, string description)
        where TBuilder : IEndpointConventionBuilder => builder.WithMetadata(new DocumentedInput(name, InHeader: true, required, description));
}
