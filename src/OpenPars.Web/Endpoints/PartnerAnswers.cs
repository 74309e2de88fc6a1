using System.Text.Json;
using System.Text.Json.Serialization;
using OpenPars.App.Agreements;
using OpenPars.Core.Agreements;
using OpenPars.Core.Policy;

namespace OpenPars.Web.Endpoints;

/// <summary>The agreement a partner answer was given under.</summary>
public sealed record PartnerAgreementRef(string Id, int Version, DateTimeOffset ExpiresAt);

/// <summary>A partner search: the agreement, the fields it disclosed, and each matching arrest as the agreement shows it.</summary>
public sealed record PartnerSearchAnswer(PartnerAgreementRef Agreement, IReadOnlyList<string> DisclosedFields, IReadOnlyList<DisclosedRecord> Records);

/// <summary>A partner read of one arrest.</summary>
public sealed record PartnerReadAnswer(PartnerAgreementRef Agreement, IReadOnlyList<string> DisclosedFields, DisclosedRecord Record);

/// <summary>The partner's agreement: its terms in the agreement format, its status and today's usage against its quotas.</summary>
public sealed record PartnerTermsAnswer(
    PartnerAgreementRef Agreement,
    AgreementStatusView Status,
    [property: JsonConverter(typeof(AgreementFormatConverter<AgreementDocument>))] AgreementDocument Terms,
    PartnerUsageToday UsageToday);

public sealed record PartnerUsageToday(int Queries, int QueriesPerUserPerDay, int Records, int RecordsPerAgencyPerDay);

/// <summary>One arrest as a partner sees it: only the granted fields, masked, nested by their catalogue names
/// (<see cref="DisclosableFields"/>); the API description derives its schema from that catalogue.</summary>
[JsonConverter(typeof(DisclosedRecordConverter))]
public sealed record DisclosedRecord(PartnerRecord Record);

/// <summary>Writes a disclosed record as <see cref="PartnerRecord.ToJson"/> nests it. Answers only: never read.</summary>
public sealed class DisclosedRecordConverter : JsonConverter<DisclosedRecord>
{
    public override DisclosedRecord Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Disclosed records are written, never read.");

    public override void Write(Utf8JsonWriter writer, DisclosedRecord value, JsonSerializerOptions options) =>
        value.Record.ToJson().WriteTo(writer, options);
}
