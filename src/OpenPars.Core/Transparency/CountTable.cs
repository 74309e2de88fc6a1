namespace OpenPars.Core.Transparency;

/// <summary>
/// Counts by month, row and column (e.g. refusals by partner and rule), before any total. The published table adds
/// a total row, a total column and, with <see cref="SuppressionOptions.PeriodTotals"/>, a table for all the
/// months together; every one of those totals is a cell like any other.
/// </summary>
public sealed record CountTable
{
    public const string Total = "Total";

    public CountTable(IReadOnlyList<string> months, IReadOnlyList<string> rows, IReadOnlyList<string> columns, long[,,] counts)
    {
        if (months.Count == 0 || rows.Count == 0 || columns.Count == 0)
        {
            throw new ArgumentException("A table has at least one month, row and column.", nameof(counts));
        }

        if (counts.GetLength(0) != months.Count || counts.GetLength(1) != rows.Count || counts.GetLength(2) != columns.Count)
        {
            throw new ArgumentException("The counts' shape is months × rows × columns.", nameof(counts));
        }

        foreach (var labels in new[] { months, rows, columns })
        {
            if (labels.Contains(Total, StringComparer.Ordinal) || labels.Distinct(StringComparer.Ordinal).Count() != labels.Count)
            {
                throw new ArgumentException($"Labels are distinct and none is \"{Total}\".", nameof(counts));
            }
        }

        foreach (var count in counts)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(count, nameof(counts));
        }

        Months = months;
        Rows = rows;
        Columns = columns;
        Counts = (long[,,])counts.Clone();
    }

    public IReadOnlyList<string> Months { get; }

    public IReadOnlyList<string> Rows { get; }

    public IReadOnlyList<string> Columns { get; }

    /// <summary>[month, row, column].</summary>
    public long[,,] Counts { get; }
}

/// <summary>A published cell's place: a month (or <see cref="CountTable.Total"/> for the period), a row and a
/// column, each possibly the total.</summary>
public sealed record CellKey(string Month, string Row, string Column);

/// <summary>One interior count: a month, a row and a column, none of them a total.</summary>
public readonly record struct InteriorKey(string Month, string Row, string Column);

public enum CellMarker
{
    /// <summary>The count as it is (0, or 11 and more).</summary>
    Exact,

    /// <summary>1 to 10, published as <c>&lt;11</c>.</summary>
    SmallCount,

    /// <summary>Withheld so that a small count cannot be worked out (complementary suppression): always 11 or more.</summary>
    Withheld,
}

public sealed record PublishedCell(CellKey Key, CellMarker Marker, long? Value)
{
    public string Text => Marker switch
    {
        CellMarker.Exact => Value!.Value.ToString(System.Globalization.CultureInfo.InvariantCulture),
        CellMarker.SmallCount => "<11",
        _ => "*",
    };
}

/// <summary>
/// A table as published. <see cref="Protected"/> is false when some small count could not be protected; such a
/// table must not be published (the whole of it is withheld) and <see cref="Unprotected"/> says which cells.
/// </summary>
public sealed record PublishedTable(
    IReadOnlyList<string> Months,
    IReadOnlyList<string> Rows,
    IReadOnlyList<string> Columns,
    bool PeriodTotals,
    IReadOnlyList<PublishedCell> Cells,
    bool Protected,
    IReadOnlyList<CellKey> Unprotected)
{
    public PublishedCell this[string month, string row, string column] =>
        Cells.First(c => c.Key.Month == month && c.Key.Row == row && c.Key.Column == column);

    /// <summary>The interior counts a cell adds up (a total stands for every label of its dimension).</summary>
    public IReadOnlyList<InteriorKey> Covers(CellKey key) =>
    [
        .. from month in key.Month == CountTable.Total ? Months : [key.Month]
           from row in key.Row == CountTable.Total ? Rows : [key.Row]
           from column in key.Column == CountTable.Total ? Columns : [key.Column]
           select new InteriorKey(month, row, column),
    ];
}
