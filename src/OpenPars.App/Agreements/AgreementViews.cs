using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Storage.Agreements;

namespace OpenPars.App.Agreements;

/// <summary>How agreements look on the wire: documents and events in <see cref="AgreementJson.Options"/> (the
/// published format), around them the status computed now. The views are typed records so the API description can
/// state their shape; members that may be null are written as null (never left out), as clients have always read them.</summary>
public static class AgreementViews
{
    public static AgreementSummaryView Summary(StoredAgreement agreement, DateTimeOffset now)
    {
        var standing = agreement.StatusAt(now);
        return new AgreementSummaryView(agreement.AgreementId, agreement.PartnerAgency, (standing.Document ?? Latest(agreement))?.Title,
            agreement.CreatedAt, Status(standing));
    }

    public static AgreementDetailView Detail(StoredAgreement agreement, DateTimeOffset now)
    {
        var standing = agreement.StatusAt(now);
        var summary = Summary(agreement, now);
        var latest = Latest(agreement);
        return new AgreementDetailView(
            summary.AgreementId, summary.PartnerAgency, summary.Title, summary.CreatedAt, summary.Status,
            standing.Document,
            latest is not null && latest.Version != standing.Version ? latest : null,
            [.. agreement.Events.OfType<AgreementVoteCast>().Select(v => new AgreementVoteView(
                v.Sequence, v.Version, JsonNamingPolicy.CamelCase.ConvertName(v.Kind.ToString()), v.Actor.UserName, v.Actor.AgencyCode,
                AgencyKinds.ToCode(v.Actor.AgencyKind), v.RecordedAt, v.Statement, v.NoticeEffectiveAt, v.ResumesSuspension))],
            agreement.Events);
    }

    public static AgreementStatusView Status(AgreementStanding standing) => new(
        JsonNamingPolicy.CamelCase.ConvertName(standing.Status.ToString()), standing.At, standing.Version, standing.LatestVersion,
        standing.EffectiveAt, standing.ExpiresAt, standing.CutOffAt, standing.SuspendedAt,
        standing.ConsentQuorumReached, standing.ConsentQuorumUnreachable);

    public static AgreementDocument? Latest(StoredAgreement agreement) =>
        agreement.Events.OfType<AgreementDrafted>().LastOrDefault()?.Document;

    public static string Instant(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}

/// <summary>One agreement in a list: who it is for, its title and its status now.</summary>
public sealed record AgreementSummaryView(
    string AgreementId,
    string PartnerAgency,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Title,
    DateTimeOffset CreatedAt,
    AgreementStatusView Status);

/// <summary>One agreement in full: the terms in force (null when none), the latest version when it differs from
/// the terms (absent otherwise), every vote, and the event history in the agreement format.</summary>
public sealed record AgreementDetailView(
    string AgreementId,
    string PartnerAgency,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] string? Title,
    DateTimeOffset CreatedAt,
    AgreementStatusView Status,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never), JsonConverter(typeof(AgreementFormatConverter<AgreementDocument>))] AgreementDocument? Terms,
    [property: JsonConverter(typeof(AgreementFormatConverter<AgreementDocument>))] AgreementDocument? LatestVersion,
    IReadOnlyList<AgreementVoteView> Votes,
    [property: JsonConverter(typeof(AgreementFormatConverter<IReadOnlyList<AgreementEvent>>))] IReadOnlyList<AgreementEvent> History);

/// <summary>One vote: consent, reject or withdraw, by whom, on which version.</summary>
public sealed record AgreementVoteView(
    int Sequence,
    int Version,
    string Vote,
    string Voter,
    string Agency,
    string AgencyKind,
    DateTimeOffset At,
    string Statement,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? NoticeEffectiveAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] int? ResumesSuspension);

/// <summary>An agreement's status at <see cref="At"/>: the version in force and the instants that bound it.</summary>
public sealed record AgreementStatusView(
    string Status,
    DateTimeOffset At,
    int Version,
    int LatestVersion,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? EffectiveAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? ExpiresAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? CutOffAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? SuspendedAt,
    bool ConsentQuorumReached,
    bool ConsentQuorumUnreachable);

/// <summary>Writes a value in the published agreement format (<see cref="AgreementJson.Options"/>: its enum names
/// and instants with their offsets) inside an answer written in the API's own dialect. Answers only: never read.</summary>
public sealed class AgreementFormatConverter<T> : JsonConverter<T>
{
    public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        throw new NotSupportedException("Agreement views are written, never read.");

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, AgreementJson.Options);
}
