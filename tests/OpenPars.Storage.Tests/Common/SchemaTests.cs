using System.Text.RegularExpressions;
using Microsoft.EntityFrameworkCore;
using OpenPars.Testing;
using OpenPars.App.Hosting;
using Shouldly;
using Xunit;

namespace OpenPars.Storage.Tests.Common;

/// <summary>
/// PARS held country of origin, never immigration status (README.md). This keeps the migrated schema so on every
/// provider: no table or column may be named for immigration, citizenship, visa or legal status.
/// </summary>
public sealed partial class SchemaTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Terms no table or column name may contain, at the start of a name or of a word in it.</summary>
    public static readonly string[] DeniedTerms =
    [
        "immigra", "emigra", "citizen", "visa", "alien", "legal_status", "nationalit", "naturaliz", "green_card",
        "residency_status", "permanent_resident", "undocumented", "a_number", "deport", "removal", "asylum", "refugee",
        "detainer", "ice_", "uscis", "i94", "i_94", "entry_status", "lawful_presence", "lawful_status", "status_in_country",
    ];

    [Theory, AllProviders]
    public async Task No_column_records_immigration_or_citizenship_status(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var columns = await ColumnsAsync(db);

        var denied = columns
            .SelectMany(c => new[] { c.Table, c.Column }.Select(name => (c, name)))
            .Where(x => DeniedTerms.Any(term => Regex.IsMatch(x.name.ToLowerInvariant(), $"(^|_){Regex.Escape(term)}")))
            .Select(x => $"{x.c.Table}.{x.c.Column}")
            .Distinct()
            .ToList();

        denied.ShouldBeEmpty();
    }

    [Theory, AllProviders]
    public async Task The_sensitive_columns_the_deny_list_guards_are_where_expected(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider, Ct);
        var columns = (await ColumnsAsync(db)).Select(c => $"{c.Table}.{c.Column}").ToHashSet();

        columns.ShouldContain("arrests.ssn");
        columns.ShouldContain("arrests.date_of_birth");
        columns.ShouldContain("arrests.race");
        columns.ShouldContain("arrests.ethnicity");
        columns.ShouldContain("arrests.birth_country");
        columns.ShouldContain("involved_parties.name");
        columns.Count.ShouldBeGreaterThan(50);
    }

    [Fact]
    public void The_deny_list_catches_what_it_is_for()
    {
        string[] caught = ["immigration_status", "citizenship", "is_citizen", "visa_type", "alien_number", "a_number", "deportable", "legal_status", "nationality", "ice_detainer"];
        string[] allowed = ["birth_country", "arrest_number", "docket_number", "fbi_number", "supervisor", "status", "ethnicity", "race"];
        caught.ShouldAllBe(name => DeniedTerms.Any(term => Regex.IsMatch(name, $"(^|_){Regex.Escape(term)}")));
        allowed.ShouldAllBe(name => !DeniedTerms.Any(term => Regex.IsMatch(name, $"(^|_){Regex.Escape(term)}")));
    }

    private static async Task<List<(string Table, string Column)>> ColumnsAsync(TestDatabase db)
    {
        await using var ctx = db.NewContext();
        var sql = db.Provider switch
        {
            StorageProvider.Sqlite =>
                "SELECT m.name AS table_name, p.name AS column_name FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table'",
            _ => "SELECT table_name::text AS table_name, column_name::text AS column_name FROM information_schema.columns WHERE table_schema = 'public'",
        };
        var connection = ctx.Database.GetDbConnection();
        await connection.OpenAsync(Ct);
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await using var reader = await command.ExecuteReaderAsync(Ct);
        var columns = new List<(string, string)>();
        while (await reader.ReadAsync(Ct))
        {
            columns.Add((reader.GetString(0), reader.GetString(1)));
        }

        return columns;
    }
}
