using System.Text.Json;
using System.Text.Json.Serialization;
using OpenPars.Core.Agreements;
using OpenPars.Core.Charter;

namespace OpenPars.App.Charter;

/// <summary>How the charter looks on the wire: for stakeholders, the charter in force and its whole history with
/// every vote (who and why); for the public transparency page, the same history by agency code and date only — no
/// user name and no statement (a statement is free text and may name a person).</summary>
public static class CharterViews
{
    public static CharterView Stakeholder(IReadOnlyList<CharterEvent> events, DateTimeOffset now)
    {
        var history = CharterHistory.Fold(events, now);
        return new CharterView(
            history.InForce ?? throw NoCharter(), history.InForceSince!.Value, Versions(history),
            [.. history.Amendments.Select(a => new CharterAmendmentView(
                a.Charter.Version, a.ProposedBy.UserName, a.ProposedBy.AgencyCode, a.ProposedAt, a.Statement, Outcome(a.Outcome), a.DecidedAt, a.Awaiting, a.Charter,
                [.. a.Votes.Values.OrderBy(v => v.Sequence).Select(v => new CharterVoteView(v.Actor.AgencyCode, v.Actor.UserName, Vote(v.Kind), v.RecordedAt, v.Statement))]))]);
    }

    public static TransparencyCharterView Public(IReadOnlyList<CharterEvent> events, DateTimeOffset now)
    {
        var history = CharterHistory.Fold(events, now);
        return new TransparencyCharterView(
            history.InForce ?? throw NoCharter(), history.InForceSince!.Value, Versions(history),
            [.. history.Amendments.Select(a => new TransparencyAmendmentView(
                a.Charter.Version, a.ProposedBy.AgencyCode, a.ProposedAt, Outcome(a.Outcome), a.DecidedAt, a.Awaiting,
                [.. a.Votes.Values.OrderBy(v => v.Sequence).Select(v => new TransparencyVoteView(v.Actor.AgencyCode, Vote(v.Kind), v.RecordedAt))]))]);
    }

    private static List<CharterVersionView> Versions(CharterHistory history) =>
        [.. history.Periods.Select(p => new CharterVersionView(p.Charter.Version, p.Charter.Title, p.From))];

    private static string Outcome(AmendmentOutcome outcome) => outcome switch
    {
        AmendmentOutcome.Open => "open",
        AmendmentOutcome.InForce => "in-force",
        _ => "rejected",
    };

    private static string Vote(VoteKind kind) => JsonNamingPolicy.CamelCase.ConvertName(kind.ToString());

    private static Core.Common.DomainException NoCharter() =>
        new(CharterErrorCodes.NoCharter, "No charter is in force yet.");
}

/// <summary>One version of the charter and the instant it came into force.</summary>
public sealed record CharterVersionView(int Version, string Title, DateTimeOffset InForceFrom);

/// <summary>The charter in force (the whole document), since when, every version, and every amendment with its votes.</summary>
public sealed record CharterView(CharterDocument InForce, DateTimeOffset InForceSince, IReadOnlyList<CharterVersionView> Versions, IReadOnlyList<CharterAmendmentView> Amendments);

/// <summary>One amendment as stakeholders see it: the proposed charter, who proposed it and why, its outcome, the
/// stakeholder agencies not yet heard, and each agency's vote.</summary>
public sealed record CharterAmendmentView(
    int Version,
    string ProposedBy,
    string ProposedByAgency,
    DateTimeOffset ProposedAt,
    string Statement,
    string Outcome,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? DecidedAt,
    IReadOnlyList<string> Awaiting,
    CharterDocument Charter,
    IReadOnlyList<CharterVoteView> Votes);

public sealed record CharterVoteView(string Agency, string User, string Vote, DateTimeOffset CastAt, string Statement);

/// <summary>The charter for the public: the document in force and its amendment history by agency code and date.</summary>
public sealed record TransparencyCharterView(CharterDocument InForce, DateTimeOffset InForceSince, IReadOnlyList<CharterVersionView> Versions, IReadOnlyList<TransparencyAmendmentView> Amendments);

public sealed record TransparencyAmendmentView(
    int Version,
    string ProposedByAgency,
    DateTimeOffset ProposedAt,
    string Outcome,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.Never)] DateTimeOffset? DecidedAt,
    IReadOnlyList<string> Awaiting,
    IReadOnlyList<TransparencyVoteView> Votes);

public sealed record TransparencyVoteView(string Agency, string Vote, DateTimeOffset CastAt);
