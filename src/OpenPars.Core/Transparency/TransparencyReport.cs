using System.Globalization;
using System.Text;
using OpenPars.Core.Agreements;
using OpenPars.Core.Charter;

namespace OpenPars.Core.Transparency;

/// <summary>One partner's month as counted from proven looks, alerts and agreement events (counts only, nobody named).</summary>
public sealed record PartnerMonth(
    string Agency,
    long Allowed,
    IReadOnlyDictionary<string, long> RefusalsByCode,
    long RecordsBySearch,
    long RecordsByRead,
    IReadOnlyDictionary<string, long> AlertsByKind,
    long Suspensions);

/// <summary>An agreement as the public reads it: its status at the end of the month, terms in plain words, each
/// stakeholder's votes (agency, vote, statement, date; never the representative's name).</summary>
public sealed record PublicAgreement(
    string AgreementId,
    string Partner,
    string Status,
    int? Version,
    string? Title,
    IReadOnlyList<string> Terms,
    IReadOnlyList<PublicVote> Votes);

public sealed record PublicVote(string Agency, int Version, string Vote, string Statement, DateTimeOffset At);

/// <summary>A published table: its columns, then one line per row and the total line, each cell as published
/// (a count, <c>&lt;11</c> or <c>*</c>). A table that could not be protected is withheld whole (<see cref="Withheld"/>).</summary>
public sealed record PublicTable(string Name, string Title, IReadOnlyList<string> Columns, IReadOnlyList<PublicLine> Lines, bool Withheld);

public sealed record PublicLine(string Row, IReadOnlyList<string> Cells);

/// <summary>The month's public report (issue 11, Public transparency).</summary>
public sealed record TransparencyMonth(string Month, long ProvenThrough, IReadOnlyList<PublicAgreement> Agreements, IReadOnlyList<PublicTable> Tables);

/// <summary>
/// Builds the public report from counts, pure: every count table goes through <see cref="SmallCellSuppression"/>
/// (1–10 as <c>&lt;11</c>, complementary suppression so no small count can be worked out from the totals). Each month
/// is published alone, with no figure that spans months, so one month's figures cannot narrow another's.
/// </summary>
public static class TransparencyReports
{
    public const string AllowedColumn = "allowed";

    private static readonly SuppressionOptions OneMonth = new() { PeriodTotals = false };

    public static TransparencyMonth Build(string month, long provenThrough, IReadOnlyList<PartnerMonth> partners, IReadOnlyList<PublicAgreement> agreements)
    {
        var ordered = partners.OrderBy(p => p.Agency, StringComparer.Ordinal).ToList();
        var refusalCodes = ordered.SelectMany(p => p.RefusalsByCode.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var alertKinds = ordered.SelectMany(p => p.AlertsByKind.Keys).Distinct().Order(StringComparer.Ordinal).ToList();
        var tables = new List<PublicTable>
        {
            Table("requests", "Partner requests: allowed, and refused by rule", month, ordered, [AllowedColumn, .. refusalCodes],
                (p, c) => c == AllowedColumn ? p.Allowed : p.RefusalsByCode.GetValueOrDefault(c)),
            Table("records", "Records disclosed, by kind of request", month, ordered, ["search", "read"],
                (p, c) => c == "search" ? p.RecordsBySearch : p.RecordsByRead),
            Table("alerts", "Oversight alerts by kind, and suspensions", month, ordered, [.. alertKinds, "suspensions"],
                (p, c) => c == "suspensions" ? p.Suspensions : p.AlertsByKind.GetValueOrDefault(c)),
        };
        return new TransparencyMonth(month, provenThrough, agreements, tables);
    }

    /// <summary>The tables as CSV: table, row, column, value (as published), RFC 4180 quoting.</summary>
    public static string ToCsv(TransparencyMonth report)
    {
        var csv = new StringBuilder("month,table,row,column,value\r\n");
        foreach (var table in report.Tables)
        {
            if (table.Withheld)
            {
                csv.Append(CultureInfo.InvariantCulture, $"{report.Month},{table.Name},,,withheld\r\n");
                continue;
            }

            foreach (var line in table.Lines)
            {
                for (var i = 0; i < table.Columns.Count; i++)
                {
                    csv.Append(CultureInfo.InvariantCulture, $"{report.Month},{table.Name},{Quote(line.Row)},{Quote(table.Columns[i])},{Quote(line.Cells[i])}\r\n");
                }
            }
        }

        return csv.ToString();
    }

    /// <summary>The terms of a version in plain words.</summary>
    public static IReadOnlyList<string> Terms(AgreementDocument d, CharterQuorum quorum)
    {
        var scope = d.RowScope;
        var narrowing = new List<string>();
        if (scope.Statuses is { } statuses) narrowing.Add("arrests whose status is " + string.Join(" or ", statuses.Select(s => s.ToString())));
        if (scope.ChargeGrades is { } grades) narrowing.Add("with a charge graded " + string.Join(", ", grades));
        if (scope.OffenseCategories is { } categories) narrowing.Add("with a charge in " + string.Join(", ", categories));
        if (scope.Districts is { } districts) narrowing.Add("booked in district " + string.Join(", ", districts));
        if (scope.BookedWithinDays is { } days) narrowing.Add($"booked within the last {days} days");
        if (scope.AdultsOnly) narrowing.Add("of people 18 or older at booking");
        return
        [
            $"Purposes a request may state: {string.Join(", ", d.Purposes)}.",
            $"Requests: {string.Join(" and ", d.Operations.Select(o => o.ToString().ToLowerInvariant()))}, each with a reason{(d.CaseNumberRequired ? " and a case number" : "")}.",
            "Fields shared: " + string.Join(", ", d.Fields.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => f.Value == FieldMask.Full ? f.Key : $"{f.Key} ({AgreementJson.MaskName(f.Value)} only)")) + ".",
            "Rows: " + (narrowing.Count == 0 ? "every arrest" : string.Join(", ", narrowing)) + ".",
            "Search by: " + string.Join(", ", d.AllowedCriteria) + ".",
            $"Quotas: {d.Quotas.QueriesPerUserPerDay} requests a user a day, {d.Quotas.RecordsPerAgencyPerDay} records to the agency a day"
                + (d.Quotas.MaxActiveWatches is { } watches ? $", at most {watches} active watches at once (a watch names one identified person and tells only that the record changed)." : "."),
            $"In force from {d.EffectiveAt:yyyy-MM-dd} to {d.ExpiresAt:yyyy-MM-dd} once {quorum.ConsentsToEnter} of the three stakeholders consent; ended by {quorum.WithdrawalsToEnd} withdrawals; after a suspension, resumed by {quorum.ConsentsToResume} consents.",
        ];
    }

    private static PublicTable Table(string name, string title, string month, List<PartnerMonth> partners, IReadOnlyList<string> columns, Func<PartnerMonth, string, long> count)
    {
        if (partners.Count == 0 || columns.Count == 0)
        {
            return new PublicTable(name, title, [.. columns, CountTable.Total], [], Withheld: false);
        }

        var counts = new long[1, partners.Count, columns.Count];
        for (var r = 0; r < partners.Count; r++)
        {
            for (var c = 0; c < columns.Count; c++)
            {
                counts[0, r, c] = count(partners[r], columns[c]);
            }
        }

        var published = SmallCellSuppression.Publish(new CountTable([month], [.. partners.Select(p => p.Agency)], columns, counts), OneMonth);
        if (!published.Protected)
        {
            return new PublicTable(name, title, [.. columns, CountTable.Total], [], Withheld: true);
        }

        var allColumns = columns.Append(CountTable.Total).ToList();
        var lines = partners.Select(p => p.Agency).Append(CountTable.Total)
            .Select(row => new PublicLine(row, [.. allColumns.Select(c => published[month, row, c].Text)])).ToList();
        return new PublicTable(name, title, allColumns, lines, Withheld: false);
    }

    private static string Quote(string value) =>
        value.IndexOfAny([',', '"', '\r', '\n']) < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
}
