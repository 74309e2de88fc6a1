using OpenPars.Core.Transparency;

namespace OpenPars.Core.Tests.Transparency;

/// <summary>
/// An attacker's solver, written apart from the suppression algorithm: the unknowns are the interior counts, every
/// figure of every release is a constraint on their sum (an exact value; <c>&lt;11</c> = 1..10; <c>*</c> = 11 or
/// more), and a small count is disclosed when no table fitting all of them puts it at or below max(1, v − p),
/// or none puts it at or above min(10, v + p). Feasibility is decided exactly by interval propagation and
/// branching on the integers (counts are capped at the true grand total plus 100, which can only shrink what the
/// attacker must consider: a witness found under the cap is a real one).
/// </summary>
internal sealed class DisclosureSolver
{
    private readonly List<InteriorKey> _variables;
    private readonly Dictionary<InteriorKey, int> _index;
    private readonly List<(int[] Variables, long Low, long High)> _constraints = [];
    private readonly long _cap;

    public DisclosureSolver(CountTable truth, IEnumerable<PublishedTable> releases, int smallMax = 10)
    {
        _variables = [.. from m in truth.Months from r in truth.Rows from c in truth.Columns select new InteriorKey(m, r, c)];
        _index = _variables.Select((v, i) => (v, i)).ToDictionary(x => x.v, x => x.i);
        long grand = 0;
        foreach (var count in truth.Counts)
        {
            grand += count;
        }

        _cap = grand + 100;
        foreach (var release in releases)
        {
            foreach (var cell in release.Cells)
            {
                var variables = release.Covers(cell.Key).Select(k => _index[k]).ToArray();
                _constraints.Add(cell.Marker switch
                {
                    CellMarker.Exact => (variables, cell.Value!.Value, cell.Value.Value),
                    CellMarker.SmallCount => (variables, 1, smallMax),
                    _ => (variables, smallMax + 1, long.MaxValue / 4),
                });
            }
        }

        Truth = truth;
    }

    public CountTable Truth { get; }

    public long TrueValue(PublishedTable release, CellKey key) =>
        release.Covers(key).Sum(k => Truth.Counts[Truth.Months.ToList().IndexOf(k.Month), Truth.Rows.ToList().IndexOf(k.Row), Truth.Columns.ToList().IndexOf(k.Column)]);

    /// <summary>Can the cell's sum be at most <paramref name="atMost"/> (or at least <paramref name="atLeast"/>) in some fitting table?</summary>
    public bool CanBe(PublishedTable release, CellKey key, long atLeast, long atMost)
    {
        var variables = release.Covers(key).Select(k => _index[k]).ToArray();
        var constraints = new List<(int[] Variables, long Low, long High)>(_constraints) { (variables, atLeast, atMost) };
        var low = new long[_variables.Count];
        var high = Enumerable.Repeat(_cap, _variables.Count).ToArray();
        return Search(low, high, constraints);
    }

    /// <summary>The small counts of <paramref name="release"/> the attacker can narrow beyond the protection.</summary>
    public List<CellKey> Disclosed(PublishedTable release, int protection, int smallMax = 10)
    {
        var disclosed = new List<CellKey>();
        foreach (var cell in release.Cells.Where(c => c.Marker == CellMarker.SmallCount))
        {
            var value = TrueValue(release, cell.Key);
            var low = Math.Max(1, value - protection);
            var high = Math.Min(smallMax, value + protection);
            if (!CanBe(release, cell.Key, 0, low) || !CanBe(release, cell.Key, high, long.MaxValue / 4))
            {
                disclosed.Add(cell.Key);
            }
        }

        return disclosed;
    }

    private static bool Search(long[] low, long[] high, List<(int[] Variables, long Low, long High)> constraints)
    {
        if (!Propagate(low, high, constraints))
        {
            return false;
        }

        var open = -1;
        for (var i = 0; i < low.Length; i++)
        {
            if (low[i] < high[i] && (open < 0 || high[i] - low[i] < high[open] - low[open]))
            {
                open = i;
            }
        }

        if (open < 0)
        {
            return true; // every count fixed and every constraint holds
        }

        var middle = low[open] + ((high[open] - low[open]) / 2);
        var (l1, h1) = ((long[])low.Clone(), (long[])high.Clone());
        h1[open] = middle;
        if (Search(l1, h1, constraints))
        {
            return true;
        }

        var (l2, h2) = ((long[])low.Clone(), (long[])high.Clone());
        l2[open] = middle + 1;
        return Search(l2, h2, constraints);
    }

    private static bool Propagate(long[] low, long[] high, List<(int[] Variables, long Low, long High)> constraints)
    {
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var (variables, lo, hi) in constraints)
            {
                long sumLow = 0, sumHigh = 0;
                foreach (var v in variables)
                {
                    sumLow += low[v];
                    sumHigh += high[v];
                }

                if (sumLow > hi || sumHigh < lo)
                {
                    return false;
                }

                foreach (var v in variables)
                {
                    var newHigh = Math.Min(high[v], hi - (sumLow - low[v]));
                    var newLow = Math.Max(low[v], lo - (sumHigh - high[v]));
                    if (newLow > newHigh)
                    {
                        return false;
                    }

                    if (newHigh != high[v] || newLow != low[v])
                    {
                        sumLow += newLow - low[v];
                        sumHigh += newHigh - high[v];
                        (low[v], high[v]) = (newLow, newHigh);
                        changed = true;
                    }
                }
            }
        }

        return true;
    }
}
