using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;
using OpenPars.App.Agreements;
using OpenPars.Core.Agreements;
using OpenPars.Core.Common;
using OpenPars.Web.Audit;
using OpenPars.Web.Endpoints;
using OpenPars.Web.Problems;
using OpenPars.Web.Security;

namespace OpenPars.Web.OpenApi;

/// <summary>
/// Makes /openapi/v1.json a contract partners generate clients from: the bearer scheme and each operation's security,
/// the inputs handlers read themselves, and every problem answer with the codes of <see cref="ErrorCatalogue"/> it can
/// carry, derived from endpoint metadata rather than written per endpoint.
/// </summary>
public static class OpenApiContract
{
    public const string BearerScheme = "bearer";
    public const string ProblemSchema = "Problem";

    private static readonly Dictionary<string, string> TagDescriptions = new(StringComparer.Ordinal)
    {
        ["Health"] = "Liveness of the server.",
        ["Arrests"] = "Booking, reading, searching and correcting arrests.",
        ["Charging"] = "The district attorney's charging queue and decisions.",
        ["Arraignment"] = "The arraignment court's daily list and its records.",
        ["Reference"] = "The jurisdiction's statutes and districts.",
        ["Administration"] = "Agencies, users and tokens (records admin).",
        ["Audit"] = "The audit log, its signed checkpoints and proofs.",
        ["Agreements"] = "Data-sharing agreements the stakeholders draft, vote and suspend.",
        ["Partner access"] = "What a partner agency may see under its active agreement.",
    };

    /// <summary>Codes a JSON body can be refused with before the use case runs.</summary>
    private static readonly string[] BodyCodes =
        [ErrorCodes.MalformedJson, ErrorCodes.UnknownMember, ErrorCodes.ValidationFailed, ErrorCodes.UnsupportedMediaType, ErrorCodes.BodyTooLarge];

    public static void Configure(OpenApiOptions options)
    {
        options.AddDocumentTransformer((document, _, _) =>
        {
            Describe(document);
            return Task.CompletedTask;
        });
        options.AddOperationTransformer((operation, context, _) =>
        {
            var metadata = context.Description.ActionDescriptor.EndpointMetadata;
            Secure(operation, metadata, context.Document);
            AddInputs(operation, metadata);
            AddProblems(operation, metadata, context.Document);
            return Task.CompletedTask;
        });
        options.AddSchemaTransformer(async (schema, context, ct) =>
        {
            if (context.JsonTypeInfo.Type == typeof(DisclosedRecord))
            {
                DescribeDisclosedRecord(schema);
            }
            else if (context.JsonPropertyInfo?.CustomConverter?.GetType() is { IsGenericType: true } converter &&
                     converter.GetGenericTypeDefinition() == typeof(AgreementFormatConverter<>))
            {
                var shape = await context.GetOrCreateSchemaAsync(converter.GetGenericArguments()[0], null, ct);
                CopyInto(shape, schema);
            }
        });
    }

    private static void Describe(OpenApiDocument document)
    {
        document.Info.Title = "OpenPARS API";
        document.Info.Description = "The shared arrest database from booking to preliminary arraignment. Every endpoint names the roles that may call it. " +
            "Refusals are RFC 9457 problems whose `code` is one of docs/errors.md.";
        // A fixed address, not the one the document was fetched from: the document is the same wherever it is served.
        document.Servers = [new OpenApiServer { Url = "http://127.0.0.1:5080", Description = "The demo server (./openpars demo); point clients at your own." }];
        document.Tags = new HashSet<OpenApiTag>(TagDescriptions.Select(t => new OpenApiTag { Name = t.Key, Description = t.Value }));
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[BearerScheme] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "An OpenPARS token (opk_…) issued by a records admin: Authorization: Bearer <token>.",
        };
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        document.Components.Schemas[ProblemSchema] = Problem();
    }

    private static OpenApiSchema Problem() => new()
    {
        Type = JsonSchemaType.Object,
        Description = "An RFC 9457 problem. `code` is stable (docs/errors.md); `errors` names each field and the rules it broke.",
        Required = new HashSet<string> { "type", "title", "status", "code" },
        Properties = new Dictionary<string, IOpenApiSchema>
        {
            ["type"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "urn:openpars:problem:<code>" },
            ["title"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["status"] = new OpenApiSchema { Type = JsonSchemaType.Integer, Format = "int32" },
            ["detail"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["instance"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["code"] = new OpenApiSchema
            {
                Type = JsonSchemaType.String,
                Enum = [.. ErrorCatalogue.All.Select(e => (JsonNode)JsonValue.Create(e.Code))],
            },
            ["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String },
            ["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "For each field, the rules it broke.",
                AdditionalProperties = new OpenApiSchema
                {
                    Type = JsonSchemaType.Array,
                    Items = new OpenApiSchema
                    {
                        Type = JsonSchemaType.Object,
                        Required = new HashSet<string> { "rule", "message" },
                        Properties = new Dictionary<string, IOpenApiSchema>
                        {
                            ["rule"] = new OpenApiSchema { Type = JsonSchemaType.String },
                            ["message"] = new OpenApiSchema { Type = JsonSchemaType.String },
                        },
                    },
                },
            },
        },
    };

    private static bool IsAnonymous(IList<object> metadata) =>
        metadata.OfType<IAllowAnonymous>().Any() || !metadata.OfType<IAuthorizeData>().Any();

    private static void Secure(OpenApiOperation operation, IList<object> metadata, OpenApiDocument? document)
    {
        operation.Security = IsAnonymous(metadata)
            ? []
            : [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerScheme, document)] = [] }];
    }

    private static void AddInputs(OpenApiOperation operation, IList<object> metadata)
    {
        foreach (var input in metadata.OfType<DocumentedInput>())
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = input.Name,
                In = input.InHeader ? ParameterLocation.Header : ParameterLocation.Query,
                Required = input.Required,
                Description = input.Description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
    }

    /// <summary>The codes an operation can answer: from its security, its audit, its body and what it declares.</summary>
    public static IReadOnlyList<string> RefusalsOf(IList<object> metadata, bool hasBody)
    {
        var codes = new List<string>();
        if (hasBody)
        {
            codes.AddRange(BodyCodes);
        }

        // Any query may carry a control character, which the guard refuses before the endpoint (Problems/ControlCharacterGuard).
        codes.Add(ErrorCodes.ValidationFailed);
        if (!IsAnonymous(metadata))
        {
            codes.Add(ErrorCodes.Unauthenticated);
            if (metadata.OfType<IAuthorizeData>().Any(a => a.Policy is not null && a.Policy != Policies.Authenticated))
            {
                codes.Add(ErrorCodes.Forbidden);
            }

            // Failed credentials are limited per client address and per account before any endpoint (Security/RateLimits).
            codes.Add(ErrorCodes.TooManyFailuresFromAddress);
            codes.Add(ErrorCodes.TooManyFailuresForAccount);
        }

        if (metadata.OfType<Microsoft.AspNetCore.RateLimiting.EnableRateLimitingAttribute>().Any(r => r.PolicyName == Security.PartnerRateLimit.Policy))
        {
            codes.Add(ErrorCodes.PartnerRateExceeded);
        }

        codes.AddRange(metadata.OfType<RefusalCodes>().SelectMany(r => r.Codes));
        if (metadata.OfType<AuditedAs>().Any())
        {
            codes.Add(ErrorCodes.AuditUnavailable);
        }

        // Every operation reads the database, which can be away: fail closed with 503 (Problems/OpenParsExceptionHandler).
        codes.Add(ErrorCodes.DatabaseUnavailable);
        codes.Add(ErrorCodes.Internal);
        return [.. codes.Distinct(StringComparer.Ordinal)];
    }

    private static void AddProblems(OpenApiOperation operation, IList<object> metadata, OpenApiDocument? document)
    {
        operation.Responses ??= [];
        foreach (var byStatus in RefusalsOf(metadata, operation.RequestBody is not null).Select(ErrorCatalogue.Describe).GroupBy(d => d.Status).OrderBy(g => g.Key))
        {
            operation.Responses[byStatus.Key.ToString(System.Globalization.CultureInfo.InvariantCulture)] = new OpenApiResponse
            {
                Description = "Refused with code " + string.Join("; ", byStatus.Select(d => $"`{d.Code}` ({d.Title})")) + ".",
                Content = new Dictionary<string, OpenApiMediaType>
                {
                    [ProblemResults.ContentType] = new() { Schema = new OpenApiSchemaReference(ProblemSchema, document) },
                },
            };
        }
    }

    /// <summary>A partner record's shape is the catalogue of disclosable fields: every one optional (only granted
    /// fields appear), nested by the dots of its name.</summary>
    private static void DescribeDisclosedRecord(OpenApiSchema schema)
    {
        schema.Type = JsonSchemaType.Object;
        schema.Description = "Only the fields the agreement grants, each masked as granted; nested by catalogue name (person.ssn is person → ssn).";
        schema.Properties = new Dictionary<string, IOpenApiSchema>();
        foreach (var field in DisclosableFields.All)
        {
            var parts = field.Name.Split('.');
            var node = schema;
            foreach (var part in parts[..^1])
            {
                if (!node.Properties!.TryGetValue(part, out var child))
                {
                    child = new OpenApiSchema { Type = JsonSchemaType.Object, Properties = new Dictionary<string, IOpenApiSchema>() };
                    node.Properties[part] = child;
                }

                node = (OpenApiSchema)child;
            }

            node.Properties![parts[^1]] = new OpenApiSchema
            {
                Description = $"{field.Name}; masks: {string.Join(", ", field.Masks.Select(AgreementJson.MaskName))}.",
            };
        }
    }

    private static void CopyInto(OpenApiSchema from, OpenApiSchema to)
    {
        to.Type = from.Type;
        to.Properties = from.Properties;
        to.Required = from.Required;
        to.Items = from.Items;
        to.OneOf = from.OneOf;
        to.AnyOf = from.AnyOf;
        to.Discriminator = from.Discriminator;
        to.Enum = from.Enum;
        to.Format = from.Format;
        to.Description ??= from.Description;
    }
}
