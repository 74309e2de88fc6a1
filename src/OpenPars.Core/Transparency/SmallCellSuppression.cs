namespace OpenPars.Core.Transparency;

public sealed record SuppressionOptions
{
    public static SuppressionOptions Default { get; } = new();

    /// <summary>Counts from 1 to this are small (published as <c>&lt;11</c>).</summary>
    public int SmallMax { get; init; } = 10;

    /// <summary>
    /// The protection p: from everything published (this table, earlier releases, all totals), a reader must not
    /// be able to rule out both a value at or below max(1, v − p) and one at or above min(SmallMax, v + p) for a
    /// small count v. docs/oversight.md § Small cells states the criterion.
    /// </summary>
    public int Protection { get; init; } = 3;

    /// <summary>Also publish the table of all the months together (the period's totals).</summary>
    public bool PeriodTotals { get; init; } = true;
}

/// <summary>
/// Small-cell suppression with complementary suppression (docs/oversight.md § Small cells). Primary: every count
/// from 1 to <see cref="SuppressionOptions.SmallMax"/>, totals included, is <c>&lt;11</c>. Complementary: for each
/// small count and each direction, a shift by the protection built from unit "alternating moves" (a 2×2 rectangle
/// of one month, or a 2×2×2 cube across two months or a month and the period) that keeps every total, every
/// published figure and every earlier release's figure true and every withheld cell within what its marker says;
/// the cells the shift changes are withheld. Each shift is a second table that fits everything published, so the
/// count's feasible values reach both ends of its protection interval. A count no shift can protect makes the
/// table <see cref="PublishedTable.Protected"/> false: the wiring then publishes none of it.
/// </summary>
public static class SmallCellSuppression
{
    public static PublishedTable Publish(CountTable table, SuppressionOptions? options = null, IEnumerable<PublishedTable>? earlier = null)
    {
        options ??= SuppressionOptions.Default;
        var grid = new Grid(table, options);
        var prior = new PriorFigures(earlier ?? [], table, options.SmallMax);
        var pending = grid.Primaries().ToList();
        var unprotected = new List<(int M, int R, int C)>();
        var progress = true;
        while (pending.Count > 0 && progress)
        {
            progress = false;
            unprotected.Clear();
            foreach (var cell in pending)
            {
                var value = grid.Value(cell);
                var up = Math.Min(options.SmallMax, value + options.Protection) - value;
                var down = value - Math.Max(1, value - options.Protection);
                var upMove = grid.Shift(cell, up, prior);
                var downMove = grid.Shift(cell, -down, prior);
                if (upMove is null || downMove is null)
                {
                    unprotected.Add(cell);
                    continue;
                }

                foreach (var q in upMove.Concat(downMove))
                {
                    progress |= grid.Withhold(q);
                }
            }

            progress &= unprotected.Count < pending.Count;
            pending = [.. unprotected];
        }

        return grid.ToPublished(unprotected);
    }

    private sealed class Grid
    {
        private readonly CountTable _table;
        private readonly SuppressionOptions _options;
        private readonly long[,,] _value;
        private readonly CellMarker[,,] _marker;

        public Grid(CountTable table, SuppressionOptions options)
        {
            _table = table;
            _options = options;
            MonthCount = table.Months.Count;
            RowCount = table.Rows.Count;
            ColumnCount = table.Columns.Count;
            Layers = MonthCount + (options.PeriodTotals ? 1 : 0);
            _value = new long[Layers, RowCount + 1, ColumnCount + 1];
            _marker = new CellMarker[Layers, RowCount + 1, ColumnCount + 1];
            for (var m = 0; m < MonthCount; m++)
            {
                for (var r = 0; r < RowCount; r++)
                {
                    for (var c = 0; c < ColumnCount; c++)
                    {
                        var count = table.Counts[m, r, c];
                        foreach (var layer in options.PeriodTotals ? new[] { m, MonthCount } : [m])
                        {
                            _value[layer, r, c] += count;
                            _value[layer, RowCount, c] += count;
                            _value[layer, r, ColumnCount] += count;
                            _value[layer, RowCount, ColumnCount] += count;
                        }
                    }
                }
            }

            foreach (var cell in All())
            {
                _marker[cell.M, cell.R, cell.C] = IsSmall(Value(cell)) ? CellMarker.SmallCount : CellMarker.Exact;
            }
        }

        public int MonthCount { get; }

        public int RowCount { get; }

        public int ColumnCount { get; }

        public int Layers { get; }

        public long Value((int M, int R, int C) cell) => _value[cell.M, cell.R, cell.C];

        public bool IsInterior((int M, int R, int C) cell) => cell.M < MonthCount && cell.R < RowCount && cell.C < ColumnCount;

        public InteriorKey Interior((int M, int R, int C) cell) => new(_table.Months[cell.M], _table.Rows[cell.R], _table.Columns[cell.C]);

        public IEnumerable<(int M, int R, int C)> All()
        {
            for (var m = 0; m < Layers; m++)
            {
                for (var r = 0; r <= RowCount; r++)
                {
                    for (var c = 0; c <= ColumnCount; c++)
                    {
                        yield return (m, r, c);
                    }
                }
            }
        }

        public IEnumerable<(int M, int R, int C)> Primaries() => All().Where(c => _marker[c.M, c.R, c.C] == CellMarker.SmallCount);

        public bool Withhold((int M, int R, int C) cell)
        {
            if (_marker[cell.M, cell.R, cell.C] != CellMarker.Exact)
            {
                return false;
            }

            _marker[cell.M, cell.R, cell.C] = CellMarker.Withheld;
            return true;
        }

        /// <summary>
        /// The cells to withhold so that a table fitting everything published has <paramref name="delta"/> added to
        /// <paramref name="cell"/> (negative: subtracted), or null when none is found. Built one unit at a time:
        /// each step adds the cheapest alternating move of ±1 to the changes so far. A move picks a second row, a
        /// second column and, when months are tied together by the period totals, a second layer; its cells change
        /// by ±1 with the signs that keep every line's sum equal to its total (a total's sign is flipped: it sits
        /// on the other side of its equation). Only the sum of the steps has to fit: every changed cell within its
        /// marker's range, every earlier release's figure still true. Cost: cells newly withheld, then their sum.
        /// </summary>
        public List<(int M, int R, int C)>? Shift((int M, int R, int C) cell, long delta, PriorFigures prior)
        {
            var changes = new Dictionary<(int M, int R, int C), long>();
            for (var step = 0; step < Math.Abs(delta); step++)
            {
                Dictionary<(int M, int R, int C), long>? best = null;
                (int Count, long Sum) bestCost = (int.MaxValue, long.MaxValue);
                foreach (var move in UnitMoves(cell, Math.Sign(delta)))
                {
                    var combined = new Dictionary<(int M, int R, int C), long>(changes);
                    foreach (var (q, change) in move)
                    {
                        combined[q] = combined.GetValueOrDefault(q) + change;
                    }

                    if (Cost(combined, prior) is { } cost && cost.CompareTo(bestCost) < 0)
                    {
                        (best, bestCost) = (combined, cost);
                    }
                }

                if (best is null)
                {
                    return null;
                }

                changes = best;
            }

            return [.. changes.Where(c => c.Value != 0).Select(c => c.Key)];
        }

        private IEnumerable<List<((int M, int R, int C) Cell, long Change)>> UnitMoves((int M, int R, int C) cell, int sign)
        {
            var layerChoices = _options.PeriodTotals ? Enumerable.Range(0, Layers).Where(m => m != cell.M).Select(m => (int?)m).ToList() : [null];
            foreach (var otherLayer in layerChoices)
            {
                for (var otherRow = 0; otherRow <= RowCount; otherRow++)
                {
                    for (var otherColumn = 0; otherColumn <= ColumnCount; otherColumn++)
                    {
                        if (otherRow == cell.R || otherColumn == cell.C)
                        {
                            continue;
                        }

                        var move = new List<((int M, int R, int C) Cell, long Change)>(8);
                        foreach (var m in otherLayer is { } layer ? new[] { cell.M, layer } : [cell.M])
                        {
                            foreach (var r in new[] { cell.R, otherRow })
                            {
                                foreach (var c in new[] { cell.C, otherColumn })
                                {
                                    var pattern = (m == cell.M ? 1 : -1) * (r == cell.R ? 1 : -1) * (c == cell.C ? 1 : -1);
                                    move.Add(((m, r, c), pattern * Side((m, r, c)) * Side(cell) * sign));
                                }
                            }
                        }

                        yield return move;
                    }
                }
            }
        }

        private (int Count, long Sum)? Cost(Dictionary<(int M, int R, int C), long> changes, PriorFigures prior)
        {
            int count = 0;
            long sum = 0;
            foreach (var (q, change) in changes)
            {
                if (change == 0)
                {
                    continue;
                }

                var after = Value(q) + change;
                switch (_marker[q.M, q.R, q.C])
                {
                    case CellMarker.SmallCount when !IsSmall(after):
                        return null;
                    case CellMarker.Withheld when after <= _options.SmallMax:
                        return null;
                    case CellMarker.Exact when Value(q) <= _options.SmallMax || after <= _options.SmallMax:
                        return null; // zeros stay published; a withheld cell is always above the small range
                    case CellMarker.Exact:
                        count++;
                        sum += Value(q);
                        break;
                }
            }

            return prior.Allows(changes, this) ? (count, sum) : null;
        }

        /// <summary>−1 for a total (it is on the other side of its equation), +1 otherwise, per dimension.</summary>
        private int Side((int M, int R, int C) cell) =>
            (cell.M == MonthCount ? -1 : 1) * (cell.R == RowCount ? -1 : 1) * (cell.C == ColumnCount ? -1 : 1);

        private bool IsSmall(long value) => value >= 1 && value <= _options.SmallMax;

        public CellKey Key((int M, int R, int C) cell) => new(
            cell.M == MonthCount ? CountTable.Total : _table.Months[cell.M],
            cell.R == RowCount ? CountTable.Total : _table.Rows[cell.R],
            cell.C == ColumnCount ? CountTable.Total : _table.Columns[cell.C]);

        public PublishedTable ToPublished(List<(int M, int R, int C)> unprotected)
        {
            var cells = All().Select(c => new PublishedCell(Key(c), _marker[c.M, c.R, c.C], _marker[c.M, c.R, c.C] == CellMarker.Exact ? Value(c) : null)).ToList();
            return new PublishedTable(_table.Months, _table.Rows, _table.Columns, _options.PeriodTotals, cells, unprotected.Count == 0, [.. unprotected.Select(Key)]);
        }
    }

    /// <summary>Earlier releases' figures, as sums of interior counts, that a move must keep true.</summary>
    private sealed class PriorFigures
    {
        private readonly List<(HashSet<InteriorKey> Covers, CellMarker Marker, long? Value, long? Current)> _figures = [];
        private readonly Dictionary<InteriorKey, List<int>> _byInterior = [];
        private readonly int _smallMax;

        public PriorFigures(IEnumerable<PublishedTable> earlier, CountTable table, int smallMax)
        {
            _smallMax = smallMax;
            var months = table.Months.Select((m, i) => (m, i)).ToDictionary(x => x.m, x => x.i, StringComparer.Ordinal);
            var rows = table.Rows.Select((r, i) => (r, i)).ToDictionary(x => x.r, x => x.i, StringComparer.Ordinal);
            var columns = table.Columns.Select((c, i) => (c, i)).ToDictionary(x => x.c, x => x.i, StringComparer.Ordinal);
            foreach (var release in earlier)
            {
                foreach (var cell in release.Cells)
                {
                    var covers = release.Covers(cell.Key).ToHashSet();
                    // Its true value today, when every count it adds up is in this table (closed months do not change).
                    long? current = covers.All(k => months.ContainsKey(k.Month) && rows.ContainsKey(k.Row) && columns.ContainsKey(k.Column))
                        ? covers.Sum(k => table.Counts[months[k.Month], rows[k.Row], columns[k.Column]])
                        : null;
                    var index = _figures.Count;
                    _figures.Add((covers, cell.Marker, cell.Value, current));
                    foreach (var key in covers)
                    {
                        (_byInterior.TryGetValue(key, out var list) ? list : _byInterior[key] = []).Add(index);
                    }
                }
            }

        }

        public bool Allows(Dictionary<(int M, int R, int C), long> move, Grid grid)
        {
            if (_figures.Count == 0)
            {
                return true;
            }

            var changes = new Dictionary<int, long>();
            foreach (var (cell, change) in move)
            {
                if (!grid.IsInterior(cell) || !_byInterior.TryGetValue(grid.Interior(cell), out var figures))
                {
                    continue;
                }

                foreach (var figure in figures)
                {
                    changes[figure] = changes.GetValueOrDefault(figure) + change;
                }
            }

            foreach (var (index, change) in changes)
            {
                if (change == 0)
                {
                    continue;
                }

                var (_, marker, _, current) = _figures[index];
                if (marker == CellMarker.Exact || current is null)
                {
                    return false;
                }

                var after = current.Value + change;
                if (marker == CellMarker.SmallCount ? after < 1 || after > _smallMax : after <= _smallMax)
                {
                    return false;
                }
            }

            return true;
        }
    }
}
