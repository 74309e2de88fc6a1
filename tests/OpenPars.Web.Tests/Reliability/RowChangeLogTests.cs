using Microsoft.EntityFrameworkCore;
using OpenPars.App.Hosting;
using OpenPars.Testing;
using OpenPars.Testing.Web;

namespace OpenPars.Web.Tests.Reliability;

/// <summary>The fuzzer's "changed no row" oracle is only as good as its triggers: each kind of change an insider's
/// bug could make under a refused request is seen, on each provider, and what is not a change is not reported.</summary>
public sealed class RowChangeLogTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory, AllProviders]
    public async Task Every_kind_of_row_change_is_seen_and_nothing_else(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: Ct);
        var changes = new RowChangeLog(web.Server);
        await changes.InstallAsync(Ct);
        await changes.InstallAsync(Ct); // idempotent: the fixture's server may install it again
        await using var db = web.Server.NewContext();

        var start = await changes.PositionAsync(Ct);
        Assert.Equal("", await changes.ChangedSinceAsync(start, Ct));

        // An update that writes the value already there changes nothing.
        await db.Database.ExecuteSqlRawAsync("UPDATE agencies SET name = name", Ct);
        Assert.Equal("", await changes.ChangedSinceAsync(start, Ct));

        // One value of one row, however small the change.
        await db.Database.ExecuteSqlRawAsync("UPDATE agencies SET name = name || ' ' WHERE code = 'ICE'", Ct);
        Assert.Equal("agencies ×1", await changes.ChangedSinceAsync(start, Ct));

        // A null made a value and back, and a delete, each counted.
        var afterUpdate = await changes.PositionAsync(Ct);
        await db.Database.ExecuteSqlRawAsync("UPDATE agencies SET partner_kind = 'kind-a' WHERE code = 'ICE' AND partner_kind IS NULL", Ct);
        await db.Database.ExecuteSqlRawAsync("UPDATE agencies SET partner_kind = NULL WHERE code = 'ICE'", Ct);
        await db.Database.ExecuteSqlRawAsync("DELETE FROM tokens WHERE id = (SELECT MIN(id) FROM tokens)", Ct);
        Assert.Equal("agencies ×2, tokens ×1", await changes.ChangedSinceAsync(afterUpdate, Ct));

        // A write rolled back leaves no trace, as it leaves no row.
        var beforeRollback = await changes.PositionAsync(Ct);
        await using (var transaction = await db.Database.BeginTransactionAsync(Ct))
        {
            await db.Database.ExecuteSqlRawAsync("DELETE FROM tokens", Ct);
            await transaction.RollbackAsync(Ct);
        }

        Assert.Equal("", await changes.ChangedSinceAsync(beforeRollback, Ct));
    }
}
