using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Storage.Agreements;

namespace OpenPars.App.Agreements;

/// <summary>How agreements look on the wire: documents and events in <see cref="AgreementJson.Options"/> (the
/// published format), around them the status computed now.</summary>
public static class AgreementViews
{
    public static JsonObject Summary(StoredAgreement agreement, DateTimeOffset now)
    {
        var standing = agreement.StatusAt(now);
        return new JsonObject
        {
            ["agreementId"] = agreement.AgreementId,
            ["partnerAgency"] = agreement.PartnerAgency,
            ["title"] = (standing.Document ?? Latest(agreement))?.Title,
            ["createdAt"] = Instant(agreement.CreatedAt),
            ["status"] = Status(standing),
        };
    }

    public static JsonObject Detail(StoredAgreement agreement, DateTimeOffset now)
    {
        var standing = agreement.StatusAt(now);
        var view = Summary(agreement, now);
        view["terms"] = standing.Document is { } terms ? Document(terms) : null;
        if (Latest(agreement) is { } latest && latest.Version != standing.Version)
        {
            view["latestVersion"] = Document(latest);
        }

        view["votes"] = new JsonArray([.. agreement.Events.OfType<AgreementVoteCast>().Select(v => (JsonNode)new JsonObject
        {
            ["sequence"] = v.Sequence,
            ["version"] = v.Version,
            ["vote"] = JsonNamingPolicy.CamelCase.ConvertName(v.Kind.ToString()),
            ["voter"] = v.Actor.UserName,
            ["agency"] = v.Actor.AgencyCode,
            ["agencyKind"] = AgencyKinds.ToCode(v.Actor.AgencyKind),
            ["at"] = Instant(v.RecordedAt),
            ["statement"] = v.Statement,
            ["noticeEffectiveAt"] = v.NoticeEffectiveAt is { } n ? Instant(n) : null,
            ["resumesSuspension"] = v.ResumesSuspension,
        })]);
        view["history"] = JsonSerializer.SerializeToNode(agreement.Events, AgreementJson.Options);
        return view;
    }

    public static JsonObject Status(AgreementStanding standing) => new()
    {
        ["status"] = JsonNamingPolicy.CamelCase.ConvertName(standing.Status.ToString()),
        ["at"] = Instant(standing.At),
        ["version"] = standing.Version,
        ["latestVersion"] = standing.LatestVersion,
        ["effectiveAt"] = standing.EffectiveAt is { } e ? Instant(e) : null,
        ["expiresAt"] = standing.ExpiresAt is { } x ? Instant(x) : null,
        ["cutOffAt"] = standing.CutOffAt is { } c ? Instant(c) : null,
        ["suspendedAt"] = standing.SuspendedAt is { } s ? Instant(s) : null,
        ["consentQuorumReached"] = standing.ConsentQuorumReached,
        ["consentQuorumUnreachable"] = standing.ConsentQuorumUnreachable,
    };

    public static JsonNode Document(AgreementDocument document) => JsonSerializer.SerializeToNode(document, AgreementJson.Options)!;

    public static AgreementDocument? Latest(StoredAgreement agreement) =>
        agreement.Events.OfType<AgreementDrafted>().LastOrDefault()?.Document;

    public static string Instant(DateTimeOffset value) => value.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);
}
