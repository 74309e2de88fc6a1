using OpenPars.Core.Oversight;

namespace OpenPars.App.Oversight;

/// <summary>Usage of one partner agency over local days [from, to] (the city's calendar), from proven looks only.</summary>
/// <param name="Agency">The partner agency's code.</param>
/// <param name="From">The first local day counted.</param>
/// <param name="To">The last local day counted.</param>
/// <param name="GroupBy"><c>day</c> or <c>user</c>.</param>
/// <param name="Rows">One row per day or per user.</param>
/// <param name="ProvenThrough">The signed checkpoint size every counted look was proven against.</param>
/// <param name="PendingEntries">Looks of the period recorded after that checkpoint: counted once the next one is signed.</param>
public sealed record UsageReport(string Agency, DateOnly From, DateOnly To, string GroupBy, long ProvenThrough, int PendingEntries, IReadOnlyList<UsageRow> Rows);

/// <summary>The disparity measure of a partner under its agreement, for each window asked (docs/oversight.md § Disparity).</summary>
public sealed record DisparityView(string Agency, string AgreementId, DateTimeOffset EvaluatedAt, long ProvenThrough, int PendingEntries, IReadOnlyList<DisparityWindowView> Windows);

public sealed record DisparityWindowView(int Days, DateTimeOffset Start, DateTimeOffset End, int DisclosedPersons, int BenchmarkPersons, IReadOnlyList<DisparityRowView> Rows);

/// <summary>
/// One attribute's comparison. A limit the data cannot bound is null (<see cref="Upper"/> with no benchmark person
/// having the attribute; <see cref="Ratio"/> with no benchmark share): JSON has no infinity.
/// <see cref="Evidence"/> lists the entries of the persons with the attribute only when the row alerts.
/// </summary>
public sealed record DisparityRowView(
    string Attribute,
    string Family,
    string Value,
    int DisclosedWith,
    int DisclosedKnown,
    int DisclosedUnknown,
    int BenchmarkWith,
    int BenchmarkKnown,
    int BenchmarkUnknown,
    double? DisclosedShare,
    double? BenchmarkShare,
    double? Ratio,
    double? Lower,
    double? Upper,
    string? Method,
    double Confidence,
    int MinimumSample,
    bool SampleSufficient,
    double Threshold,
    bool Alert,
    IReadOnlyList<long> Evidence)
{
    public static DisparityRowView From(DisparityRow row, double confidence) => new(
        row.Attribute.Name,
        row.Attribute.Family,
        row.Attribute.Value,
        row.DisclosedWith,
        row.DisclosedKnown,
        row.DisclosedUnknown,
        row.BenchmarkWith,
        row.BenchmarkKnown,
        row.BenchmarkUnknown,
        Finite(row.DisclosedShare),
        Finite(row.BenchmarkShare),
        Finite(row.Interval?.Ratio),
        Finite(row.Interval?.Lower),
        Finite(row.Interval?.Upper),
        row.Interval is null ? null : MethodName(row.Interval.Method),
        confidence,
        row.MinimumSample,
        row.SampleSufficient,
        row.Threshold,
        row.Alert,
        row.Alert ? row.Evidence : []);

    public static string MethodName(RatioMethod method) => method == RatioMethod.KatzLog ? "katz-log" : "koopman-score";

    private static double? Finite(double? value) => value is { } v && double.IsFinite(v) ? Math.Round(v, 6) : null;
}

/// <summary>An alert as every stakeholder's privacy officers and representatives see it: what was found, on which entries
/// (indexes; only privacy officers read the entries), the figures, the agreement it suspended, and who acknowledged it.</summary>
public sealed record OversightAlertView(
    string Id,
    string Kind,
    DateTimeOffset RaisedAt,
    string Agency,
    string? AgreementId,
    long? UserId,
    string? UserName,
    string Summary,
    IReadOnlyList<long> Evidence,
    IReadOnlyDictionary<string, string> Figures,
    string? AutoSuspended,
    IReadOnlyList<AcknowledgementView> Acknowledgements)
{
    public static OversightAlertView From(OversightAlertState state)
    {
        var r = state.Raised;
        return new(r.AlertId, r.Kind, r.RecordedAt, r.Agency, r.AgreementId, r.UserId, r.UserName, r.Summary, r.Evidence, r.Figures, r.AutoSuspended,
            [.. state.Acknowledgements.Select(a => new AcknowledgementView(a.AgencyCode, a.UserName, a.Statement, a.RecordedAt))]);
    }
}

public sealed record AcknowledgementView(string Agency, string User, string Statement, DateTimeOffset At);

/// <summary>The alerts, newest first.</summary>
public sealed record OversightAlertList(IReadOnlyList<OversightAlertView> Items);

/// <summary>Usage, disparity and alerts of one partner together (the CLI's report).</summary>
public sealed record OversightReport(UsageReport Usage, DisparityView Disparity, OversightAlertList Alerts);
