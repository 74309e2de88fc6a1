using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Core.Oversight;
using OpenPars.Storage.Audit;
using OpenPars.Storage.Oversight;
using OpenPars.Testing;
using OpenPars.App.Hosting;
using Shouldly;
using Xunit;

namespace OpenPars.Storage.Tests.Oversight;

/// <summary>
/// The one reader of partner looks: each observation comes from an entry proven against the newest signed checkpoint
/// (read from its bytes, not its columns); entries after it are pending; an altered, deleted or unsigned-for entry, or a
/// forged checkpoint, refuses the read (PARS-AUD-004) rather than giving a figure.
/// </summary>
public sealed class PartnerLookReaderTests
{
    private static readonly AuditActor Analyst = new(41, "ice.analyst", "ICE", ["partner-analyst"], 7);

    [Theory, AllProviders]
    public async Task Each_look_is_read_from_its_proven_bytes_and_those_after_the_checkpoint_are_pending(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, TestContext.Current.CancellationToken);
        var abroad = await BookAsync(db, "Hanoi", "Vietnam", pid: "7000001");
        var here = await BookAsync(db, "Philadelphia", "United States", pid: null);
        var from = db.Clock.GetUtcNow();
        await AppendAsync(db, Look(db, [abroad, here], criteria: new() { ["lastName"] = "Nguyen", ["dateOfBirth"] = "1990-04-01" }));
        await AppendAsync(db, Look(db, [], criteria: new() { ["placeOfBirth"] = "Hanoi" }) with { Outcome = AuditOutcome.Refused, Code = "PARS-AGR-020", Records = [] });
        await AppendAsync(db, Look(db, [abroad], type: AuditEventType.PartnerRead));
        await CheckpointAsync(db);
        await AppendAsync(db, Look(db, [here]));

        var looks = await ReadAsync(db, "ICE", from);

        looks.Observations.Count.ShouldBe(3);
        looks.Pending.ShouldBe(1);
        looks.ProvenThrough.ShouldBe(await SizeAsync(db) - 1);
        var search = looks.Observations[0];
        search.Allowed.ShouldBeTrue();
        search.UserName.ShouldBe("ice.analyst");
        search.UserId.ShouldBe(41);
        search.AgreementId.ShouldBe("ice-2026");
        search.Criteria["lastName"].ShouldBe("Nguyen");
        search.Disclosed.Select(d => d.ArrestNumber).ShouldBe([abroad, here]);
        search.Disclosed[0].PersonKey.ShouldBe("pid:7000001");
        search.Disclosed[1].PersonKey.ShouldBe("arrest:" + here);
        looks.PersonsByArrest[abroad].Origin.ShouldBe(BirthOrigin.OutsideUnitedStates);
        looks.PersonsByArrest[here].Origin.ShouldBe(BirthOrigin.UnitedStates);
        var refused = looks.Observations[1];
        refused.Allowed.ShouldBeFalse();
        refused.RefusalCode.ShouldBe("PARS-AGR-020");
        refused.Disclosed.ShouldBeEmpty();
        looks.Observations[2].Operation.ShouldBe(PartnerOperation.Read);
        looks.Disclosures().Count().ShouldBe(3);
        (await ReadAsync(db, "FBI", from)).Observations.ShouldBeEmpty();
    }

    [Theory, AllProviders]
    public async Task Without_a_checkpoint_nothing_is_counted(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, TestContext.Current.CancellationToken);
        var from = db.Clock.GetUtcNow();
        await AppendAsync(db, Look(db, []));

        var looks = await ReadAsync(db, "ICE", from);

        looks.Observations.ShouldBeEmpty();
        looks.Pending.ShouldBe(1);
        looks.ProvenThrough.ShouldBe(0);
    }

    [Theory, AllProviders]
    public async Task A_look_whose_bytes_and_leaf_were_rewritten_refuses_the_read(StorageProvider provider)
    {
        // The insider's edit: a look that disclosed a person born abroad rewritten to disclose nothing, its leaf hash
        // column recomputed so the row is self-consistent; the signed root still names the original.
        await using var db = await TestDatabase.CreateAsync(provider, TestContext.Current.CancellationToken);
        var from = db.Clock.GetUtcNow();
        var index = await AppendAsync(db, Look(db, ["26-0000001"]));
        await CheckpointAsync(db);
        await using (var ctx = db.NewContext())
        {
            var row = await ctx.AuditEntries.SingleAsync(e => e.Index == index);
            row.Entry = (Look(db, []) with { Time = row.RecordedAt }).CanonicalBytes(index);
            row.LeafHash = MerkleHash.LeafHash(row.Entry);
            await ctx.SaveChangesAsync();
        }

        var refusal = await Should.ThrowAsync<DomainException>(() => ReadAsync(db, "ICE", from));

        refusal.Code.ShouldBe(ErrorCodes.StoreDamaged);
        refusal.Message.ShouldContain(nameof(AuditDamage.EntryAltered));
    }

    [Theory, AllProviders]
    public async Task A_deleted_look_refuses_the_read(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, TestContext.Current.CancellationToken);
        var from = db.Clock.GetUtcNow();
        var index = await AppendAsync(db, Look(db, ["26-0000001"]));
        await AppendAsync(db, Look(db, []));
        await CheckpointAsync(db);
        await using (var ctx = db.NewContext())
        {
            ctx.AuditEntries.Remove(await ctx.AuditEntries.SingleAsync(e => e.Index == index));
            await ctx.SaveChangesAsync();
        }

        var refusal = await Should.ThrowAsync<DomainException>(() => ReadAsync(db, "ICE", from));

        refusal.Code.ShouldBe(ErrorCodes.StoreDamaged);
        refusal.Message.ShouldContain(nameof(AuditDamage.EntryMissing));
    }

    [Theory, AllProviders]
    public async Task A_checkpoint_not_signed_by_the_logs_key_refuses_the_read(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, TestContext.Current.CancellationToken);
        var from = db.Clock.GetUtcNow();
        await AppendAsync(db, Look(db, []));
        await CheckpointAsync(db);
        await using (var ctx = db.NewContext())
        {
            var checkpoint = await ctx.AuditCheckpoints.OrderByDescending(c => c.TreeSize).FirstAsync();
            using var other = AuditSigning.LoadOrCreate(Path.Combine(Path.GetTempPath(), $"other-key-{Guid.NewGuid():N}.pem"));
            var forged = other.Sign(checkpoint.TreeSize, new byte[32]);
            checkpoint.Note = forged.NoteText;
            await ctx.SaveChangesAsync();
        }

        var refusal = await Should.ThrowAsync<DomainException>(() => ReadAsync(db, "ICE", from));

        refusal.Code.ShouldBe(ErrorCodes.StoreDamaged);
        refusal.Message.ShouldContain(nameof(AuditDamage.CheckpointSignatureInvalid));
    }

    private static async Task<string> BookAsync(TestDatabase db, string city, string country, string? pid)
    {
        var booking = new ArrestBuilder(db.Reference).WithPerson(p => p with
        {
            PlaceOfBirth = new Core.Arrests.PlaceOfBirth { City = city, Country = country },
            Identifiers = new Core.Arrests.PersonIdentifiers { Pid = pid },
        }).Build();
        var booked = await db.Arrests().BookAsync(booking, TestActors.BookingOfficer, null);
        return booked.Record.ArrestNumber;
    }

    private static AuditEntry Look(TestDatabase db, IReadOnlyList<string> records, AuditEventType type = AuditEventType.PartnerSearch, Dictionary<string, string>? criteria = null) => new()
    {
        Type = type,
        Time = db.Clock.GetUtcNow(),
        Actor = Analyst,
        Status = 200,
        Records = records,
        Criteria = criteria ?? new Dictionary<string, string> { ["arrestNumber"] = records.Count > 0 ? records[0] : "26-0000009" },
        Details = new Dictionary<string, string> { ["agreementId"] = "ice-2026", ["purpose"] = "criminal-investigation" },
    };

    private static async Task<long> AppendAsync(TestDatabase db, AuditEntry entry)
    {
        db.Clock.Advance(TimeSpan.FromSeconds(1));
        await using var ctx = db.NewContext();
        await using var tx = await ctx.Database.BeginTransactionAsync();
        var index = await Log(db).AppendAsync(ctx, [entry with { Time = db.Clock.GetUtcNow() }]);
        await tx.CommitAsync();
        return index;
    }

    private static async Task CheckpointAsync(TestDatabase db)
    {
        await using var ctx = db.NewContext();
        (await Log(db).CheckpointIfBehindAsync(ctx)).ShouldBeTrue();
    }

    private static async Task<long> SizeAsync(TestDatabase db)
    {
        await using var ctx = db.NewContext();
        return await ctx.AuditHead.Select(h => h.Size).SingleAsync();
    }

    private static AuditLog Log(TestDatabase db) => new(AuditSigning.LoadOrCreate(db.Settings.AuditKeyPath()), db.Clock);

    private static async Task<PartnerLooks> ReadAsync(TestDatabase db, string agency, DateTimeOffset from)
    {
        await using var ctx = db.NewContext();
        return await new PartnerLookReader(ctx, AuditSigning.LoadOrCreate(db.Settings.AuditKeyPath())).ReadAsync(agency, from, db.Clock.GetUtcNow().AddSeconds(1));
    }
}
