using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Storage.Events;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using Shouldly;
using static OpenPars.Web.Tests.Agreements.AgreementHttp;
using static OpenPars.Web.Tests.Oversight.OversightHttp;

namespace OpenPars.Web.Tests.Oversight;

/// <summary>
/// Issue 11, alerts: raised by the evaluator from proven partner looks, once per key, as events of the one event log
/// bound to their audit entries, with their evidence; an agreement that opted in (<c>autoSuspendOn</c>) is suspended
/// like a privacy officer would and only the consent quorum resumes it; every stakeholder's overseers see and
/// acknowledge them.
/// </summary>
public sealed class OversightAlertTests
{
    [Theory, AllProviders]
    public async Task A_run_of_consecutive_arrest_numbers_raises_one_alert_with_its_evidence_and_never_twice(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        var size = await server.AuditSizeAsync();
        await SweepAsync(server, 5);
        server.Clock.Advance(TimeSpan.FromMinutes(1));

        var evaluator = Evaluator(server);
        (await evaluator.RunOnceAsync(TestContext.Current.CancellationToken)).ShouldBe(1);
        (await evaluator.RunOnceAsync(TestContext.Current.CancellationToken)).ShouldBe(0);
        (await Evaluator(server).RunOnceAsync(TestContext.Current.CancellationToken)).ShouldBe(0);

        var alerts = (await GetAsync(server, "/api/v1/oversight/alerts", Roles.StakeholderRepresentative)).AsArrayOf();
        var alert = alerts.ShouldHaveSingleItem();
        alert["kind"]!.GetValue<string>().ShouldBe("arrest-number-run");
        alert["agency"]!.GetValue<string>().ShouldBe("ICE");
        alert["autoSuspended"].ShouldBeNull();
        var reads = (await server.AuditEntriesSinceAsync(size)).Where(e => e["event"]!.GetValue<string>() == "partner.read").Select(e => long.Parse(e["index"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        alert["evidence"]!.AsArray().Select(n => n!.GetValue<long>()).ShouldBe(reads);
        alert.ToJsonString().ShouldNotContain("26-0");

        // Bound to the log: the alert's event is listed by a 12005 entry with no user, on the system channel.
        await using var db = server.NewContext();
        var evt = await db.Events.SingleAsync(e => e.StreamType == EventStreams.OversightAlert);
        var entry = JsonNode.Parse((await db.AuditEntries.SingleAsync(e => e.Index == evt.AuditIndex)).Entry)!;
        entry["event"]!.GetValue<string>().ShouldBe("oversight.alert-raised");
        entry["channel"]!.GetValue<string>().ShouldBe("system");
        entry["actor"].ShouldBeNull();
        entry["payload"]!["alertId"]!.GetValue<string>().ShouldBe(alert["id"]!.GetValue<string>());
    }

    [Theory, AllProviders]
    public async Task Four_reads_of_consecutive_numbers_raise_nothing(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        await SweepAsync(server, 4);
        server.Clock.Advance(TimeSpan.FromMinutes(1));

        (await Evaluator(server).RunOnceAsync(TestContext.Current.CancellationToken)).ShouldBe(0);
        (await GetAsync(server, "/api/v1/oversight/alerts")).AsArrayOf().ShouldBeEmpty();
    }

    [Theory, AllProviders]
    public async Task An_agreement_that_opted_in_is_suspended_by_the_alert_and_only_the_consent_quorum_resumes_it(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        var id = await OptedInAgreementAsync(server, "arrest-number-run");
        await SweepAsync(server, 5);
        server.Clock.Advance(TimeSpan.FromMinutes(1));

        (await Evaluator(server).RunOnceAsync(TestContext.Current.CancellationToken)).ShouldBe(1);

        var alert = (await GetAsync(server, "/api/v1/oversight/alerts?agency=ICE")).AsArrayOf().ShouldHaveSingleItem();
        alert["autoSuspended"]!.GetValue<string>().ShouldBe(id);
        var agreement = await GetAsync(server, $"/api/v1/agreements/{id}");
        StatusOf(agreement).ShouldBe("suspended");
        await ExpectRefusalAsync(server, TestAgreementDocuments.PartnerGet("/api/v1/partner/arrests?lastName=Okafor&dateOfBirth=1991-05-17"), AgreementErrorCodes.TerminatedOrSuspended);
        var suspension = await LastEntryAsync(server, AuditEventType.AgreementSuspended);
        suspension["channel"]!.GetValue<string>().ShouldBe("system");
        OpenPars.Core.Audit.Payloads.AuditPayloads.Read<OpenPars.Core.Audit.Payloads.AgreementChangeV1>(suspension)!.AgreementId.ShouldBe(id);

        // The privacy officer's route to resume does not exist; the quorum's consent does.
        var store = AgreementArrange.Store(server);
        await store.VoteAsync(id, VoteKind.Consent, "We reviewed the alert and consent to resume.", null, null, AgreementArrange.Police);
        StatusOf(await GetAsync(server, $"/api/v1/agreements/{id}")).ShouldBe("suspended");
        await store.VoteAsync(id, VoteKind.Consent, "We consent to resume.", null, null, AgreementArrange.DistrictAttorney);
        await store.VoteAsync(id, VoteKind.Consent, "We consent to resume.", null, null, AgreementArrange.Courts);
        StatusOf(await GetAsync(server, $"/api/v1/agreements/{id}")).ShouldBe("active");

        // The same alert is never raised again, so it cannot suspend the resumed agreement a second time.
        (await Evaluator(server).RunOnceAsync(TestContext.Current.CancellationToken)).ShouldBe(0);
        StatusOf(await GetAsync(server, $"/api/v1/agreements/{id}")).ShouldBe("active");
    }

    [Theory, AllProviders]
    public async Task An_alert_of_a_kind_not_opted_in_leaves_the_agreement_active(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        var id = await OptedInAgreementAsync(server, "disparity");
        await SweepAsync(server, 5);
        server.Clock.Advance(TimeSpan.FromMinutes(1));

        (await Evaluator(server).RunOnceAsync(TestContext.Current.CancellationToken)).ShouldBe(1);

        (await GetAsync(server, "/api/v1/oversight/alerts")).AsArrayOf().ShouldHaveSingleItem()["autoSuspended"].ShouldBeNull();
        StatusOf(await GetAsync(server, $"/api/v1/agreements/{id}")).ShouldBe("active");
    }

    [Theory, AllProviders]
    public async Task Each_stakeholder_agency_acknowledges_once_with_a_statement(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        var id = await RaiseAlertAsync(server);
        var path = $"/api/v1/oversight/alerts/{id}/acknowledgements";

        var missing = await SendOkAsync(server, Roles.PrivacyOfficer, TestAgreementDocuments.PostJson(path, new JsonObject()), HttpStatusCode.BadRequest);
        missing["errors"]!["statement"]![0]!["rule"]!.GetValue<string>().ShouldBe("required");
        var blank = await SendOkAsync(server, Roles.PrivacyOfficer, TestAgreementDocuments.PostJson(path, new JsonObject { ["statement"] = "  " }), HttpStatusCode.BadRequest);
        blank["errors"]!["statement"]![0]!["rule"]!.GetValue<string>().ShouldBe("required");

        var first = await SendOkAsync(server, Roles.PrivacyOfficer, TestAgreementDocuments.PostJson(path, new JsonObject { ["statement"] = "The courts asked ICE for its case files." }), HttpStatusCode.Created);
        first["acknowledgements"]!.AsArray().ShouldHaveSingleItem()!["agency"]!.GetValue<string>().ShouldBe("FJD");
        var again = await SendOkAsync(server, Roles.PrivacyOfficer, TestAgreementDocuments.PostJson(path, new JsonObject { ["statement"] = "Again." }), HttpStatusCode.Conflict);
        again["code"]!.GetValue<string>().ShouldBe("PARS-OVS-003");
        var dao = await SendOkAsync(server, Roles.StakeholderRepresentative, TestAgreementDocuments.PostJson(path, new JsonObject { ["statement"] = "The DA's office will review." }), HttpStatusCode.Created);
        dao["acknowledgements"]!.AsArray().Select(a => a!["agency"]!.GetValue<string>()).ShouldBe(["FJD", "DAO"]);

        var unknown = await SendOkAsync(server, Roles.PrivacyOfficer, TestAgreementDocuments.PostJson("/api/v1/oversight/alerts/oa-00000000000000000000/acknowledgements", new JsonObject { ["statement"] = "x" }), HttpStatusCode.NotFound);
        unknown["code"]!.GetValue<string>().ShouldBe("PARS-OVS-002");
        var listed = (await GetAsync(server, "/api/v1/oversight/alerts")).AsArrayOf().ShouldHaveSingleItem();
        listed["acknowledgements"]!.AsArray().Count.ShouldBe(2);
    }

    [Theory, AllProviders]
    public async Task The_background_evaluator_raises_the_alert_within_a_minute_of_the_look_that_crosses_the_rule(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        await SweepAsync(server, 5);
        server.Clock.Advance(TimeSpan.FromSeconds(1));
        var crossed = DateTime.UtcNow;
        using var evaluator = Evaluator(server, TimeSpan.FromSeconds(2));
        await evaluator.StartAsync(TestContext.Current.CancellationToken);
        try
        {
            while ((await GetAsync(server, "/api/v1/oversight/alerts")).AsArrayOf().Count == 0)
            {
                (DateTime.UtcNow - crossed).ShouldBeLessThan(TimeSpan.FromMinutes(1), "no alert a minute after the fifth consecutive read");
                await Task.Delay(250, TestContext.Current.CancellationToken);
            }
        }
        finally
        {
            await evaluator.StopAsync(TestContext.Current.CancellationToken);
        }
    }

    [Theory, AllProviders]
    public async Task A_partner_that_picks_persons_born_abroad_raises_a_disparity_alert_with_its_evidence(StorageProvider provider)
    {
        // 40 of 200 persons booked in scope were born abroad (20%); the partner looks up only those 40, never with a
        // prohibited criterion: 100% against 20%, on the minimum sample of 30 and more.
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        for (var i = 0; i < 200; i++)
        {
            await BookPersonAsync(server, Name(i < 40 ? "Far" : "Near", i), i < 40 ? "Nigeria" : "United States");
        }

        var size = await server.AuditSizeAsync();
        for (var i = 0; i < 40; i++)
        {
            await SearchAsync(server, Name("Far", i));
        }

        server.Clock.Advance(TimeSpan.FromMinutes(1));
        (await Evaluator(server).RunOnceAsync(TestContext.Current.CancellationToken)).ShouldBeGreaterThan(0);

        var alerts = (await GetAsync(server, "/api/v1/oversight/alerts?agency=ICE")).AsArrayOf();
        var birthplace = alerts.Where(a => a["kind"]!.GetValue<string>() == "disparity" && a["figures"]!["attribute"]!.GetValue<string>() == "birthplace:outside-united-states").ToList();
        birthplace.Select(a => a["figures"]!["windowDays"]!.GetValue<string>()).Order().ShouldBe(["30", "7"]);
        var alert = birthplace[0];
        alert["figures"]!["disclosedWith"]!.GetValue<string>().ShouldBe("40");
        alert["figures"]!["benchmarkWith"]!.GetValue<string>().ShouldBe("40");
        alert["figures"]!["benchmarkKnown"]!.GetValue<string>().ShouldBe("200");
        double.Parse(alert["figures"]!["lower"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture).ShouldBeGreaterThan(1.25);
        var searches = (await server.AuditEntriesSinceAsync(size)).Where(e => e["event"]!.GetValue<string>() == "partner.search").Select(e => long.Parse(e["index"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture)).ToList();
        alert["evidence"]!.AsArray().Select(n => n!.GetValue<long>()).ShouldBe(searches);
        alert.ToJsonString().ShouldNotContain("Far");
        alert.ToJsonString().ShouldNotContain("1991-05-17");

        // The view the privacy officer opens shows the same row alerting.
        var view = await GetAsync(server, "/api/v1/oversight/disparity?agency=ICE&window=30");
        view["windows"]![0]!["rows"]!.AsArray().Single(r => r!["attribute"]!.GetValue<string>() == "birthplace:outside-united-states")!["alert"]!.GetValue<bool>().ShouldBeTrue();
    }

    [Theory, AllProviders]
    public async Task An_alert_row_written_straight_into_the_event_table_makes_the_list_refuse(StorageProvider provider)
    {
        // The insider's edit: an acknowledgement (or an alert) inserted without an audit entry. The list fails closed.
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        var id = await RaiseAlertAsync(server);
        await using (var db = server.NewContext())
        {
            var position = await db.Events.MaxAsync(e => e.Position) + 1;
            db.Events.Add(new EventRow
            {
                Position = position, StreamType = EventStreams.OversightAlert, StreamId = id, Version = 2, Type = "oversight-alert-acknowledged",
                Body = $$"""{"type":"oversight-alert-acknowledged","alertId":"{{id}}","recordedAt":"2026-11-23T14:00:00Z","userId":1,"userName":"x","agencyCode":"PPD","statement":"Nothing to see."}""",
                RecordedAt = server.Clock.GetUtcNow(), UserId = 1, AgencyCode = "PPD",
            });
            await db.SaveChangesAsync();
        }

        var refusal = await GetAsync(server, "/api/v1/oversight/alerts", expected: HttpStatusCode.ServiceUnavailable);
        refusal["code"]!.GetValue<string>().ShouldBe("PARS-AUD-004");
    }

    /// <summary>The partner analyst reads <paramref name="count"/> consecutive arrest numbers.</summary>
    private static async Task SweepAsync(OpenParsTestServer server, int count)
    {
        var numbers = new List<string>();
        for (var i = 0; i < count; i++)
        {
            numbers.Add(await BookAsync(server));
        }

        foreach (var number in numbers)
        {
            var (status, body) = await PartnerAsync(server, TestAgreementDocuments.PartnerGet($"/api/v1/partner/arrests/{number}"));
            status.ShouldBe(HttpStatusCode.OK, body.ToJsonString());
        }
    }

    private static async Task<string> OptedInAgreementAsync(OpenParsTestServer server, string kind)
    {
        var now = server.Clock.GetUtcNow();
        var id = "ice-auto-" + Guid.NewGuid().ToString("N")[..6];
        var document = AgreementJson.Parse(TestAgreementDocuments.Document(id, "ICE", now.AddDays(-1), now.AddDays(100))
            .With(d => d["autoSuspendOn"] = new JsonArray(kind)).ToJsonString());
        var store = AgreementArrange.Store(server);
        await store.DraftAsync(document, AgreementArrange.DistrictAttorney);
        await store.ProposeAsync(id, null, AgreementArrange.DistrictAttorney);
        foreach (var actor in new[] { AgreementArrange.Police, AgreementArrange.DistrictAttorney, AgreementArrange.Courts })
        {
            await store.VoteAsync(id, VoteKind.Consent, "We consent to these terms.", null, null, actor);
        }

        return id;
    }
}

internal static class JsonAnswers
{
    /// <summary>The answer's top-level array (SendOkAsync parses answers as objects; a list comes back in this shape).</summary>
    public static IReadOnlyList<JsonObject> AsArrayOf(this JsonObject answer) => [.. answer["items"]!.AsArray().Select(n => n!.AsObject())];
}
