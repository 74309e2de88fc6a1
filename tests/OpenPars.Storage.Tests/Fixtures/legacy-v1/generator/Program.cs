// Makes the legacy-v1 fixture with the code of main as of commit 78ee484 (before the one event log):
// a SQLite data folder and a PostgreSQL database (dumped with pg_dump by make.sh), each holding a few arrests booked,
// corrected, charged and arraigned, six bulk-seeded arrests, the demo's agreements (ice-2026 active by three consents,
// fbi-2026 proposed, then consented by the police and rejected by the courts), reads and a refusal with their audit
// entries, and a signed checkpoint; plus expected.json: every record, history and agreement as that code reads them.
// Usage: dotnet run -- <sqlite data folder> | <postgres connection string> <key folder>   (writes expected.json beside)
using OpenPars.App.Hosting;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using OpenPars.Core.Agreements;
using OpenPars.Core.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Storage;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Agreements;
using OpenPars.Storage.Arrests;
using OpenPars.Storage.Audit;
using OpenPars.Storage.Demo;
using OpenPars.Testing;

var settings = args[0].Contains('=') ? StorageSettings.ForPostgres(args[0], args[1]) : StorageSettings.ForDataFolder(args[0]);
var output = args[0].Contains('=') ? args[1] : args[0];
var clock = new FakeTimeProvider(new DateTimeOffset(2026, 11, 2, 14, 0, 0, TimeSpan.Zero)) { AutoAdvanceAmount = TimeSpan.Zero };
var reference = ReferenceData.LoadDefault();
await OpenParsDatabase.MigrateAsync(settings);
using var signing = AuditSigning.LoadOrCreate(settings.AuditKeyPath());
var log = new AuditLog(signing, clock);

AuditTrail Trail(string path, AuditActor? actor = null) => new(log, null, clock) { Origin = new AuditOrigin("cli", actor, null, "CLI", path, "fixture") };
OpenParsDbContext Db() => OpenParsDatabase.CreateContext(settings);

await using (var db = Db())
{
    await DemoIdentities.SeedAsync(db, new IdentityStore(db, clock, Trail("identities")));
}

DemoActors actors;
await using (var db = Db())
{
    actors = await DemoIdentities.ActorsAsync(db);
}

var booking = new AuditActor(actors.BookingOfficer.UserId, actors.BookingOfficer.UserName, "PPD", ["booking-officer"], 7);
async Task<T> Arrests<T>(string path, Func<ArrestStore, Task<T>> act)
{
    await using var db = Db();
    var result = await act(new ArrestStore(db, reference, clock, Trail(path, booking)));
    clock.Advance(TimeSpan.FromMinutes(7));
    return result;
}

var numbers = new List<string>();
foreach (var (last, first, victim) in new[] { ("Nguyễn", "Zoë", "J. Doe"), ("Okafor", "Ada", "R. Roe"), ("Smith", "John", "K. Poe"), ("Ñúñez", "Íñigo", "M. Moe") })
{
    var request = new ArrestBuilder(reference).WithName(last, first).WithVictim(victim).BookedAt(clock.GetUtcNow().AddMinutes(-30)).OccurredAt(clock.GetUtcNow().AddHours(-2)).Build();
    numbers.Add((await Arrests("arrest book", s => s.BookAsync(request, actors.BookingOfficer, "fixture-" + last))).Record.ArrestNumber);
}

await Arrests("arrest correct", s => s.CorrectAsync(numbers[0], 1, new CorrectArrest { Reason = "District keyed wrong", District = reference.Districts.All[1].Code }, actors.BookingOfficer));
await Arrests("arrest correct", s => s.CorrectAsync(numbers[1], 1, new CorrectArrest { Reason = "Victim's name misspelt", InvolvedParties = [new InvolvedParty { Role = InvolvementRole.Victim, Name = "R. Rowe" }] }, actors.BookingOfficer));
await Arrests("charging decide", s => s.DecideChargingAsync(numbers[0], Decisions.Approve(), actors.ChargingAttorney));
await Arrests("charging decide", s => s.DecideChargingAsync(numbers[1], Decisions.Approve("Strong evidence."), actors.ChargingAttorney));
await Arrests("charging decide", s => s.DecideChargingAsync(numbers[2], Decisions.Decline(), actors.ChargingAttorney));
await Arrests("arraignment record", s => s.RecordArraignmentAsync(numbers[0], Decisions.Arraignment(clock.GetUtcNow()), actors.Magistrate));

// Six bulk-seeded arrests (the `openpars seed` path: events written by the bulk writer, one 9001 entry).
await DemoSeeder.SeedArrestsAsync(Db, reference, clock, Trail("seed --arrests 6"), 6, seed: 7);
clock.Advance(TimeSpan.FromMinutes(3));

await using (var db = Db())
{
    await DemoAgreements.SeedAsync(db, clock, Trail("agreements"));
}

clock.Advance(TimeSpan.FromHours(1));
await using (var db = Db())
{
    var store = new AgreementStore(db, clock, Trail("agreement vote"));
    var police = new AgreementActor(await Id("ppd.representative"), "ppd.representative", "PPD", OpenPars.Core.Agencies.AgencyKind.Police);
    var courts = new AgreementActor(await Id("fjd.representative"), "fjd.representative", "FJD", OpenPars.Core.Agencies.AgencyKind.Courts);
    await store.VoteAsync(DemoAgreements.FbiAgreement, VoteKind.Consent, "The Police Department consents.", null, null, police);
    clock.Advance(TimeSpan.FromMinutes(5));
    await store.VoteAsync(DemoAgreements.FbiAgreement, VoteKind.Reject, "The courts reject: the purposes are too broad.", null, null, courts);
}

// Reads and a refusal, committed through the group writer as the server commits them.
await using (var writer = new GroupCommitAuditWriter(Db, log, NullLogger<GroupCommitAuditWriter>.Instance))
{
    var reader = new AuditActor(await Id("dao.charging"), "dao.charging", "DAO", ["charging-attorney"], 11);
    foreach (var number in numbers)
    {
        var trail = new AuditTrail(log, writer, clock) { Origin = new AuditOrigin("http", reader, "127.0.0.1", "GET", $"/api/v1/arrests/{number}"), EventType = AuditEventType.ArrestRead };
        trail.Touched(number);
        await trail.CommitAsync(AuditOutcome.Allowed, null, 200);
        clock.Advance(TimeSpan.FromSeconds(40));
    }

    var search = new AuditTrail(log, writer, clock) { Origin = new AuditOrigin("http", reader, "127.0.0.1", "GET", "/api/v1/arrests?lastName=o"), EventType = AuditEventType.ArrestsSearched };
    search.Criterion("lastName", "o");
    search.Touched([numbers[1], numbers[3]]);
    await search.CommitAsync(AuditOutcome.Allowed, null, 200);
    var partner = new AuditActor(await Id("ice.analyst"), "ice.analyst", "ICE", ["partner-analyst"], 12);
    var refused = new AuditTrail(log, writer, clock) { Origin = new AuditOrigin("http", partner, "127.0.0.1", "GET", $"/api/v1/partner/arrests/{numbers[2]}"), EventType = AuditEventType.PartnerRead };
    refused.Criterion("arrestNumber", numbers[2]);
    refused.Detail("agreementId", "ice-2026");
    refused.Detail("rule", "reason-stated");
    await refused.CommitAsync(AuditOutcome.Refused, "PARS-AGR-011", 403);
    var anonymous = new AuditTrail(log, writer, clock) { Origin = new AuditOrigin("http", null, "127.0.0.1", "GET", "/api/v1/arrests"), EventType = AuditEventType.RequestRefused };
    await anonymous.CommitAsync(AuditOutcome.Refused, "PARS-AUTH-001", 401);
}

await using (var db = Db())
{
    await log.CheckpointIfBehindAsync(db);
}

// The expectation: what today's code reads back, at a fixed instant for the agreements' status.
var at = new DateTimeOffset(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
var expected = new JsonObject { ["statusAt"] = at.ToString("O") };
var arrests = new JsonObject();
await using (var db = Db())
{
    var all = db.Arrests.OrderBy(a => a.Id).Select(a => a.ArrestNumber).ToList();
    var store = new ArrestStore(db, reference, clock, Trail("read"));
    foreach (var number in all)
    {
        arrests[number] = new JsonObject
        {
            ["record"] = JsonSerializer.SerializeToNode(await store.GetAsync(number), OpenParsJson.Options),
            ["history"] = JsonSerializer.SerializeToNode(await store.HistoryAsync(number), OpenParsJson.Options),
        };
    }
}

expected["arrests"] = arrests;
await using (var db = Db())
{
    var store = new AgreementStore(db, clock, Trail("read"));
    var list = await store.ListAsync();
    expected["agreements"] = new JsonArray([.. list.Select(a => (JsonNode)new JsonObject
    {
        ["agreement"] = JsonSerializer.SerializeToNode(a, AgreementJson.Options),
        ["status"] = JsonSerializer.SerializeToNode(a.StatusAt(at), AgreementJson.Options),
    })]);
    expected["partners"] = new JsonObject
    {
        ["ICE"] = (await store.FindForPartnerAsync("ICE"))!.AgreementId,
        ["FBI"] = (await store.FindForPartnerAsync("FBI"))!.AgreementId,
    };
}

await using (var db = Db())
{
    expected["auditSize"] = await new AuditReader(db).SizeAsync();
}

File.WriteAllText(Path.Combine(output, "expected.json"), expected.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n");
Console.WriteLine($"{settings.Describe()}: {numbers.Count} booked, audit size {expected["auditSize"]}");

async Task<long> Id(string name)
{
    await using var db = Db();
    return db.Users.Where(u => u.Name == name).Select(u => u.Id).Single();
}
