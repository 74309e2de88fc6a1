using CsCheck;
using OpenPars.Core.Arraignment;
using OpenPars.Core.Arrests;
using OpenPars.Core.Charging;
using OpenPars.Core.Feeds;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Feeds;

/// <summary>
/// A desk stream carries an event exactly when the desk's list changes because of it. The oracle is the lists' own
/// definitions, written here independently (ArrestStore: the queue is every arrest awaiting charging; a day's
/// arraignment list is every charged arrest booked before the day ends, waiting, and every arrest arraigned that day),
/// applied to the arrest before and after each event of a random life.
/// </summary>
public sealed class DeskFeedsPropertyTests
{
    private static readonly DateTimeOffset Epoch = new(2026, 11, 20, 5, 0, 0, TimeSpan.Zero);

    private sealed record State(string Status, DateTimeOffset BookedAt, DateTimeOffset? ArraignedAt);

    private sealed record Life(DateTimeOffset BookedAt, ChargingOutcome? Outcome, DateTimeOffset? ArraignedAt, DateTimeOffset DayStart)
    {
        public DateTimeOffset DayEnd => DayStart.AddDays(1);
    }

    private static readonly Gen<Life> GenLife =
        Gen.Select(Gen.Int[0, 6 * 24], Gen.Int[0, 3], Gen.Int[0, 4 * 24], Gen.Int[-2, 8])
            .Select((bookedHour, outcome, arraignedAfter, day) =>
            {
                var booked = Epoch.AddHours(bookedHour);
                ChargingOutcome? decided = outcome == 3 ? null : (ChargingOutcome)outcome;
                DateTimeOffset? arraigned = decided is ChargingOutcome.Approve or ChargingOutcome.Modify && arraignedAfter % 3 != 0 ? booked.AddHours(arraignedAfter) : null;
                return new Life(booked, decided, arraigned, Epoch.Date.AddDays(day));
            });

    /// <summary>The events of the life, each with the state it leaves the arrest in.</summary>
    private static IEnumerable<(ArrestEvent Event, State Before, State After)> Steps(Life life)
    {
        var none = new State("none", life.BookedAt, null);
        var booked = none with { Status = "awaiting-charging" };
        yield return (new ArrestBooked { ArrestNumber = "26-0000001", Sequence = 1, BookedAt = life.BookedAt }, none, booked);
        if (life.Outcome is not { } outcome)
        {
            yield break;
        }

        var decided = booked with { Status = outcome == ChargingOutcome.Decline ? "declined" : "charged" };
        yield return (new ChargingDecided { ArrestNumber = "26-0000001", Sequence = 2, Outcome = outcome }, booked, decided);
        if (life.ArraignedAt is { } at)
        {
            yield return (new ArraignmentRecorded { ArrestNumber = "26-0000001", Sequence = 3, Arraignment = new ArraignmentRecord { ArraignedAt = at } },
                decided, decided with { Status = "arraigned", ArraignedAt = at });
        }
    }

    private static bool InQueue(State s) => s.Status == "awaiting-charging";

    private static (bool Waiting, bool Arraigned) OnList(State s, Life life) =>
        (s.Status == "charged" && s.BookedAt < life.DayEnd, s.ArraignedAt is { } at && at >= life.DayStart && at < life.DayEnd);

    private static FeedEvent Feed(ArrestEvent e, Life life) => new(e.Sequence, FeedStreams.Arrest, e.ArrestNumber, "t", "{}", Epoch, e, life.BookedAt);

    [Fact]
    public void The_charging_queue_stream_carries_exactly_the_events_that_move_an_arrest_into_or_out_of_the_queue()
    {
        GenLife.Sample(life =>
        {
            foreach (var (e, before, after) in Steps(life))
            {
                DeskFeeds.ChargingQueue(Feed(e, life)).ShouldBe(InQueue(before) != InQueue(after), $"{e.GetType().Name} in {life}");
            }
        });
    }

    [Fact]
    public void A_days_arraignment_list_stream_carries_exactly_the_events_that_change_that_days_list()
    {
        GenLife.Sample(life =>
        {
            foreach (var (e, before, after) in Steps(life))
            {
                DeskFeeds.ArraignmentList(Feed(e, life), life.DayStart, life.DayEnd).ShouldBe(OnList(before, life) != OnList(after, life), $"{e.GetType().Name} in {life}");
            }
        });
    }

    [Fact]
    public void An_arrests_stream_carries_its_own_events_and_no_other_arrests()
    {
        var booked = new ArrestBooked { ArrestNumber = "26-0000001", Sequence = 1 };
        DeskFeeds.ArrestTimeline(new FeedEvent(1, FeedStreams.Arrest, "26-0000001", "arrest-booked", "{}", Epoch, booked, Epoch), "26-0000001").ShouldBeTrue();
        DeskFeeds.ArrestTimeline(new FeedEvent(2, FeedStreams.Arrest, "26-0000010", "arrest-booked", "{}", Epoch, booked, Epoch), "26-0000001").ShouldBeFalse();
        DeskFeeds.ArrestTimeline(new FeedEvent(3, "agreement", "26-0000001", "agreement-drafted", "{}", Epoch, null, null), "26-0000001").ShouldBeFalse();
    }
}
