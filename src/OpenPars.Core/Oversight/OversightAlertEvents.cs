using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenPars.Core.Oversight;

/// <summary>
/// The events of one alert's stream (<c>oversight-alert</c>, stream id <see cref="OversightAlertIds.Of"/>): raised
/// once, then acknowledged by stakeholder agencies, each once with a statement. Counts and entry indexes only: the
/// stream is shown to representatives, who never read the entries themselves.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "type")]
[JsonDerivedType(typeof(OversightAlertRaised), OversightAlertRaised.TypeName)]
[JsonDerivedType(typeof(OversightAlertAcknowledged), OversightAlertAcknowledged.TypeName)]
public abstract record OversightAlertEvent
{
    public required string AlertId { get; init; }

    public required DateTimeOffset RecordedAt { get; init; }
}

/// <summary>The alert as raised, with its evidence (entry indexes) and figures; <see cref="AutoSuspended"/> names the
/// agreement suspended by it under <c>autoSuspendOn</c>, when one was.</summary>
public sealed record OversightAlertRaised : OversightAlertEvent
{
    public const string TypeName = "oversight-alert-raised";

    public required string Kind { get; init; }
    public required string Key { get; init; }
    public required string Agency { get; init; }
    public string? AgreementId { get; init; }
    public long? UserId { get; init; }
    public string? UserName { get; init; }
    public required string Summary { get; init; }
    public required IReadOnlyList<long> Evidence { get; init; }
    public required IReadOnlyDictionary<string, string> Figures { get; init; }
    public string? AutoSuspended { get; init; }

    public static OversightAlertRaised From(OversightAlert alert, string? autoSuspended) => new()
    {
        AlertId = OversightAlertIds.Of(alert.Key),
        RecordedAt = alert.RaisedAt,
        Kind = AlertKinds.Name(alert.Kind),
        Key = alert.Key,
        Agency = alert.AgencyCode,
        AgreementId = alert.AgreementId,
        UserId = alert.UserId,
        UserName = alert.UserName,
        Summary = alert.Summary,
        Evidence = alert.Evidence,
        Figures = new SortedDictionary<string, string>(alert.Figures.ToDictionary(), StringComparer.Ordinal),
        AutoSuspended = autoSuspended,
    };
}

/// <summary>A stakeholder agency's acknowledgement, with its statement (what it did or will do about the alert).</summary>
public sealed record OversightAlertAcknowledged : OversightAlertEvent
{
    public const string TypeName = "oversight-alert-acknowledged";

    public required long UserId { get; init; }
    public required string UserName { get; init; }
    public required string AgencyCode { get; init; }
    public required string Statement { get; init; }
}

public static class OversightAlertIds
{
    /// <summary>The alert's id: <c>oa-</c> and the first 20 hex digits of SHA-256 of its key, so raising the same key
    /// twice (two evaluators, a retry) lands on the same stream, whose first version can be written only once.</summary>
    public static string Of(string key) =>
        "oa-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(key)))[..20];
}

public static class OversightAlertJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static string Serialize(OversightAlertEvent e) => JsonSerializer.Serialize(e, Options);

    public static OversightAlertEvent Deserialize(string body) =>
        JsonSerializer.Deserialize<OversightAlertEvent>(body, Options) ?? throw new InvalidOperationException("An oversight alert event is null in the store.");
}

/// <summary>An alert's stream folded: the alert and who acknowledged it.</summary>
public sealed record OversightAlertState(OversightAlertRaised Raised, IReadOnlyList<OversightAlertAcknowledged> Acknowledgements)
{
    public static OversightAlertState Fold(IReadOnlyList<OversightAlertEvent> events)
    {
        var raised = events.Count > 0 && events[0] is OversightAlertRaised r ? r : throw new InvalidOperationException("An alert stream starts with its raising.");
        return new OversightAlertState(raised, [.. events.Skip(1).OfType<OversightAlertAcknowledged>()]);
    }

    public bool AcknowledgedBy(string agencyCode) => Acknowledgements.Any(a => string.Equals(a.AgencyCode, agencyCode, StringComparison.Ordinal));
}
