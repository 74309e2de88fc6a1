using Microsoft.EntityFrameworkCore;
using OpenPars.App.Hosting;
using OpenPars.Core.Common;
using OpenPars.Storage.Feeds;
using OpenPars.Testing;
using Shouldly;
using Xunit;

namespace OpenPars.Storage.Tests.Feeds;

/// <summary>The feeds' storage, on both databases: durable marks moved compare-and-set, and reads of the log that
/// hand out only what the audit log vouches for.</summary>
public sealed class FeedStorageTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<bool> AdvanceAsync(TestDatabase database, string name, long from, long to)
    {
        await using var db = database.NewContext();
        await using var tx = await db.Database.BeginTransactionAsync(Ct);
        var moved = await FeedConsumers.AdvanceAsync(db, name, from, to, Ct);
        await tx.CommitAsync(Ct);
        return moved;
    }

    [Theory, AllProviders]
    public async Task A_mark_starts_at_zero_moves_only_from_where_it_is_and_survives_a_new_context(StorageProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, Ct);
        await using (var db = database.NewContext())
        {
            (await FeedConsumers.MarkAsync(db, "webhook:1", Ct)).ShouldBe(0);
        }

        (await AdvanceAsync(database, "webhook:1", 0, 5)).ShouldBeTrue();
        (await AdvanceAsync(database, "webhook:1", 0, 9)).ShouldBeFalse("a second start from 0 finds the mark moved");
        (await AdvanceAsync(database, "webhook:1", 4, 9)).ShouldBeFalse("a stale mark does not move it");
        (await AdvanceAsync(database, "webhook:1", 5, 9)).ShouldBeTrue();
        (await AdvanceAsync(database, "webhook:2", 3, 4)).ShouldBeFalse("a consumer with no row has handled nothing: it is at 0");

        await using var check = database.NewContext();
        (await FeedConsumers.MarkAsync(check, "webhook:1", Ct)).ShouldBe(9);
        (await FeedConsumers.MarkAsync(check, "webhook:2", Ct)).ShouldBe(0);
    }

    [Theory, AllProviders]
    public async Task Of_sixteen_handlers_racing_from_the_same_mark_exactly_one_moves_it(StorageProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, Ct);
        (await AdvanceAsync(database, "race", 0, 10)).ShouldBeTrue();
        var start = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var racers = Enumerable.Range(0, 16).Select(i => Task.Run(async () =>
        {
            await start.Task;
            try
            {
                return await AdvanceAsync(database, "race", 10, 11 + i);
            }
            catch (DbUpdateException)
            {
                return false;
            }
            catch (Microsoft.Data.Sqlite.SqliteException)
            {
                return false;
            }
        }, Ct)).ToList();
        start.SetResult();
        var moved = await Task.WhenAll(racers);

        moved.Count(m => m).ShouldBe(1);
        await using var check = database.NewContext();
        (await FeedConsumers.MarkAsync(check, "race", Ct)).ShouldBe(11 + Array.IndexOf(moved, true));
    }

    [Theory, AllProviders]
    public async Task The_reader_hands_out_events_above_a_mark_in_order_and_refuses_a_forged_one(StorageProvider provider)
    {
        await using var database = await TestDatabase.CreateAsync(provider, Ct);
        var numbers = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            numbers.Add((await database.Arrests().BookAsync(new ArrestBuilder(database.Reference).Build(), TestActors.BookingOfficer, null, Ct)).Record.ArrestNumber);
        }

        await using var db = database.NewContext();
        var head = await FeedReader.HeadAsync(db, Ct);
        var all = await FeedReader.ReadAfterAsync(db, head - 3, 100, Ct);
        all.Select(e => e.StreamId).ShouldBe(numbers);
        all.Select(e => e.Position).ShouldBe([head - 2, head - 1, head]);
        all.ShouldAllBe(e => e.Arrest != null && e.BookedAt != null);
        (await FeedReader.ReadAfterAsync(db, head - 2, 1, Ct)).Single().Position.ShouldBe(head - 1);
        (await FeedReader.ReadAfterAsync(db, head, 100, Ct)).ShouldBeEmpty();

        // An insider rewrites a delivered event's body in place: the next read refuses the batch instead of sending it.
        await db.Database.ExecuteSqlAsync($"UPDATE events SET body = REPLACE(body, 'Doe', 'Forged') WHERE position = {head}", Ct);
        var refused = await Should.ThrowAsync<DomainException>(() => FeedReader.ReadAfterAsync(db, head - 1, 100, Ct));
        refused.Code.ShouldBe(ErrorCodes.StoreDamaged);
    }
}
