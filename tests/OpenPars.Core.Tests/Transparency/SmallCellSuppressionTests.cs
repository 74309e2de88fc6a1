using CsCheck;
using OpenPars.Core.Transparency;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Transparency;

/// <summary>Published tables checked by an attacker's solver written apart from the algorithm.</summary>
public class SmallCellSuppressionTests
{
    private const int Protection = 3;

    private static CountTable Table(long[,,] counts, int months = 1) => new(
        [.. Enumerable.Range(1, counts.GetLength(0)).Select(m => $"2026-{m:D2}")],
        [.. Enumerable.Range(0, counts.GetLength(1)).Select(r => $"partner{r}")],
        [.. Enumerable.Range(0, counts.GetLength(2)).Select(c => $"rule{c}")],
        counts);

    private static readonly Gen<CountTable> GenTable =
        Gen.Select(Gen.Int[1, 3], Gen.Int[1, 3], Gen.Int[1, 3]).SelectMany((m, r, c) =>
            Gen.Frequency((3, Gen.Const(0L)), (4, Gen.Long[1, 10]), (3, Gen.Long[11, 40])).Array[m * r * c].Select(values =>
            {
                var counts = new long[m, r, c];
                for (var i = 0; i < values.Length; i++)
                {
                    counts[i / (r * c), i / c % r, i % c] = values[i];
                }

                return Table(counts);
            }));

    [Fact]
    public void The_solver_sees_a_small_count_that_a_total_gives_away()
    {
        // 5 | 20 ‖ 25 with the 5 alone withheld: 25 − 20 = 5.
        var table = Table(new long[,,] { { { 5, 20 }, { 30, 40 } } });
        var naive = PrimaryOnly(table);

        new DisclosureSolver(table, [naive]).Disclosed(naive, Protection).ShouldContain(new CellKey("2026-01", "partner0", "rule0"));
    }

    [Fact]
    public void A_lone_small_count_is_protected_by_withholding_a_rectangle_of_large_ones()
    {
        var table = Table(new long[,,] { { { 5, 20 }, { 30, 40 } } });

        var published = SmallCellSuppression.Publish(table, new SuppressionOptions { PeriodTotals = false });

        published.Protected.ShouldBeTrue();
        published["2026-01", "partner0", "rule0"].Text.ShouldBe("<11");
        published.Cells.Count(c => c.Marker == CellMarker.Withheld).ShouldBeGreaterThanOrEqualTo(3);
        published.Cells.Where(c => c.Marker == CellMarker.Withheld).ShouldAllBe(c => c.Value == null);
        new DisclosureSolver(table, [published]).Disclosed(published, Protection).ShouldBeEmpty();
    }

    [Fact]
    public void Zeros_and_large_counts_of_a_table_without_small_ones_are_published_as_they_are()
    {
        var table = Table(new long[,,] { { { 0, 20 }, { 30, 40 } } });

        var published = SmallCellSuppression.Publish(table);

        published.Cells.ShouldAllBe(c => c.Marker == CellMarker.Exact);
        published["2026-01", CountTable.Total, CountTable.Total].Value.ShouldBe(90);
    }

    [Fact]
    public void Every_published_table_is_safe_against_the_solver_and_says_nothing_false()
    {
        var unprotected = 0;
        var samples = 0;
        Gen.Select(GenTable, Gen.Bool).Sample((table, periodTotals) =>
        {
            var options = new SuppressionOptions { PeriodTotals = periodTotals, Protection = Protection };
            var published = SmallCellSuppression.Publish(table, options);
            var solver = new DisclosureSolver(table, [published]);
            samples++;
            foreach (var cell in published.Cells)
            {
                var value = solver.TrueValue(published, cell.Key);
                switch (cell.Marker)
                {
                    case CellMarker.Exact:
                        cell.Value.ShouldBe(value);
                        (value is >= 1 and <= 10).ShouldBeFalse();
                        break;
                    case CellMarker.SmallCount:
                        value.ShouldBeInRange(1, 10);
                        break;
                    default:
                        value.ShouldBeGreaterThanOrEqualTo(11);
                        break;
                }
            }

            if (!published.Protected)
            {
                unprotected++;
                published.Unprotected.ShouldNotBeEmpty();
                return;
            }

            solver.Disclosed(published, Protection).ShouldBeEmpty();
        }, iter: 150);

        // Not vacuous: most random tables, small counts and all, can be published.
        (unprotected / (double)samples).ShouldBeLessThan(0.25);
    }

    [Fact]
    public void A_later_release_with_more_months_reveals_nothing_combined_with_the_earlier_one()
    {
        Gen.Select(GenTable, Gen.Long[0, 40].Array[9]).Sample((first, extra) =>
        {
            // The earlier release: the first month alone. The later one: that month and a second.
            var rows = first.Rows.Count;
            var columns = first.Columns.Count;
            var january = new long[1, rows, columns];
            var both = new long[2, rows, columns];
            for (var r = 0; r < rows; r++)
            {
                for (var c = 0; c < columns; c++)
                {
                    january[0, r, c] = both[0, r, c] = first.Counts[0, r, c];
                    both[1, r, c] = extra[(r * 3) + c] % 3 == 0 ? 0 : extra[(r * 3) + c];
                }
            }

            var earlier = SmallCellSuppression.Publish(Table(january));
            var later = SmallCellSuppression.Publish(Table(both), earlier: [earlier]);
            if (!earlier.Protected || !later.Protected)
            {
                return;
            }

            var solver = new DisclosureSolver(Table(both), [earlier, later]);
            solver.Disclosed(later, Protection).ShouldBeEmpty();
            solver.Disclosed(earlier, Protection).ShouldBeEmpty();
        }, iter: 80);
    }

    [Fact]
    public void A_withheld_cell_published_later_would_give_the_small_count_away_unless_the_earlier_release_is_in_view()
    {
        var table = Table(new long[,,] { { { 5, 20, 31 }, { 30, 40, 12 } } });
        var earlier = SmallCellSuppression.Publish(table, new SuppressionOptions { PeriodTotals = false });
        var withheld = earlier.Cells.First(c => c.Marker == CellMarker.Withheld);
        var solver = new DisclosureSolver(table, []);

        // A second release that ignores the first: the same figures with one withheld cell shown.
        var careless = earlier with
        {
            Cells = [.. earlier.Cells.Select(c => c == withheld ? c with { Marker = CellMarker.Exact, Value = solver.TrueValue(earlier, c.Key) } : c)],
        };
        new DisclosureSolver(table, [earlier, careless]).Disclosed(careless, Protection).ShouldNotBeEmpty();

        var informed = SmallCellSuppression.Publish(table, new SuppressionOptions { PeriodTotals = false }, earlier: [earlier]);
        informed.Protected.ShouldBeTrue();
        new DisclosureSolver(table, [earlier, informed]).Disclosed(informed, Protection).ShouldBeEmpty();
    }

    /// <summary>What a release without complementary suppression would say: only the small counts withheld.</summary>
    private static PublishedTable PrimaryOnly(CountTable table)
    {
        var full = SmallCellSuppression.Publish(table, new SuppressionOptions { PeriodTotals = false, Protection = 0 });
        var solver = new DisclosureSolver(table, []);
        var cells = full.Cells.Select(c =>
        {
            var value = solver.TrueValue(full, c.Key);
            return value is >= 1 and <= 10 ? new PublishedCell(c.Key, CellMarker.SmallCount, null) : new PublishedCell(c.Key, CellMarker.Exact, value);
        }).ToList();
        return full with { Cells = cells };
    }
}
