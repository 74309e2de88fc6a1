using System.Net;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Testing;
using OpenPars.Testing.Web;
using OpenPars.App.Hosting;
using OpenPars.Web.Hosting;
using static OpenPars.Web.Tests.Agreements.AgreementHttp;

namespace OpenPars.Web.Tests.Agreements;

/// <summary>
/// Agreements and partner access through the real server, on both providers: the lifecycle under quorum, expiry to
/// the second, termination and suspension taking effect on the very next request, what an allowed answer holds,
/// and the notice with figures from the audit log.
/// </summary>
public sealed class AgreementLifecycleHttpTests
{
    private const string Search = "/api/v1/partner/arrests?lastName=Okafor&dateOfBirth=1991-05-17";

    [Theory, AllProviders]
    public async Task Draft_propose_consent_activates_and_expiry_holds_to_the_second(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        var reps = await AgreementArrange.RepresentativesAsync(server);
        var number = await BookAsync(server);
        var now = server.Clock.GetUtcNow();
        var expiresAt = now.AddDays(10);
        var document = TestAgreementDocuments.Document("ice-test", "ICE", now.AddDays(-1), expiresAt);

        await ExpectRefusalAsync(server, TestAgreementDocuments.PartnerGet(Search), AgreementErrorCodes.NoActiveAgreement);

        var drafted = await SendOkAsync(server, Roles.StakeholderRepresentative, TestAgreementDocuments.PostJson("/api/v1/agreements", document), HttpStatusCode.Created);
        Assert.Equal("draft", StatusOf(drafted));
        var (proposeStatus, proposed) = await SendAsTokenAsync(server, reps["FJD"], new HttpRequestMessage(HttpMethod.Post, "/api/v1/agreements/ice-test/propose"));
        Assert.Equal(HttpStatusCode.OK, proposeStatus);
        Assert.Equal("proposed", StatusOf(proposed));

        // A partner analyst (a partner agency's user) can never vote.
        var (partnerVote, partnerVoteBody) = await PartnerAsync(server, TestAgreementDocuments.PostJson("/api/v1/agreements/ice-test/votes", new JsonObject { ["vote"] = "consent", ["statement"] = "Yes please." }));
        Assert.Equal(HttpStatusCode.Forbidden, partnerVote);
        Assert.Equal(ErrorCodes.Forbidden, partnerVoteBody["code"]!.GetValue<string>());

        await VoteAsync(server, reps["PPD"], "ice-test", "consent");
        var afterTwo = await VoteAsync(server, reps["DAO"], "ice-test", "consent");
        Assert.Equal("proposed", StatusOf(afterTwo));

        // One vote per agency per version.
        await VoteAsync(server, reps["DAO"], "ice-test", "consent", HttpStatusCode.Conflict, AgreementErrorCodes.DuplicateVote);
        await ExpectRefusalAsync(server, TestAgreementDocuments.PartnerGet(Search), AgreementErrorCodes.NoActiveAgreement);

        var active = await VoteAsync(server, reps["FJD"], "ice-test", "consent");
        Assert.Equal("active", StatusOf(active));
        Assert.Equal(3, active["votes"]!.AsArray().Count);

        // An allowed search: only the granted fields, masked; the agreement and the fields disclosed.
        var (status, found) = await PartnerAsync(server, TestAgreementDocuments.PartnerGet(Search));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("ice-test", found["agreement"]!["id"]!.GetValue<string>());
        Assert.Equal(1, found["agreement"]!["version"]!.GetValue<int>());
        Assert.Equal(AgreementViewsInstant(expiresAt), found["agreement"]!["expiresAt"]!.GetValue<string>());
        var disclosed = found["disclosedFields"]!.AsArray().Select(f => f!.GetValue<string>()).ToList();
        Assert.Contains("person.ssn", disclosed);
        Assert.DoesNotContain("person.address", disclosed);
        var record = found["records"]!.AsArray().Single()!.AsObject();
        Assert.Equal(number, record["arrestNumber"]!.GetValue<string>());
        Assert.Equal("***-**-9999", record["person"]!["ssn"]!.GetValue<string>());
        Assert.Equal("1991", record["person"]!["dateOfBirth"]!.GetValue<string>());
        Assert.False(record["person"]!.AsObject().ContainsKey("address"));
        Assert.False(record["person"]!.AsObject().ContainsKey("placeOfBirth"));
        Assert.False(record["person"]!.AsObject().ContainsKey("race"));
        Assert.False(record.ContainsKey("involvedParties"));
        var raw = found.ToJsonString();
        Assert.DoesNotContain("Ann Victim", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Lagos", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("219-09", raw, StringComparison.Ordinal);

        var entry = await LastEntryAsync(server, AuditEventType.PartnerSearch);
        Assert.Equal("allowed", entry["outcome"]!.GetValue<string>());
        var said = AuditPayloads.Read<PartnerAccessV1>(entry)!;
        Assert.Equal("partner-access@1", entry["payload"]!["schema"]!.GetValue<string>());
        Assert.Equal("ice-test", said.AgreementId);
        Assert.Equal(TestAgreementDocuments.Purpose, said.Purpose);
        Assert.Equal(TestAgreementDocuments.Reason, said.Reason);
        Assert.Equal(TestAgreementDocuments.CaseNumber, said.CaseNumber);
        Assert.Contains("person.ssn", said.DisclosedFields!);
        Assert.Equal("Okafor", entry["criteria"]!["lastName"]!.GetValue<string>());
        Assert.Equal(number, entry["records"]![0]!.GetValue<string>());

        // The privacy officer finds the partner's looks by agreement, purpose and refusal code (the verified columns).
        using (var privacy = server.Client(Roles.PrivacyOfficer))
        {
            async Task<List<JsonObject>> Entries(string query)
            {
                using var answer = await privacy.GetAsync($"/api/v1/audit/entries?{query}&limit=100", TestContext.Current.CancellationToken);
                Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
                var page = JsonNode.Parse(await answer.Content.ReadAsStringAsync(TestContext.Current.CancellationToken))!;
                return [.. page["items"]!.AsArray().Select(i => i!["entry"]!.AsObject())];
            }

            var underAgreement = await Entries("agreement=ice-test");
            Assert.Contains(underAgreement, e => e["event"]!.GetValue<string>() == "agreement.vote-cast");
            Assert.Contains(underAgreement, e => e["event"]!.GetValue<string>() == "partner.search" && e["outcome"]!.GetValue<string>() == "allowed");
            Assert.All(underAgreement, e => Assert.Equal("ice-test", e["payload"]?["agreementId"]?.GetValue<string>()));
            var forPurpose = await Entries($"agreement=ice-test&purpose={Uri.EscapeDataString(TestAgreementDocuments.Purpose)}");
            Assert.Equal(["partner.search"], forPurpose.Select(e => e["event"]!.GetValue<string>()).Distinct());
            Assert.Empty(await Entries("agreement=fbi-none"));
            var noAgreement = await Entries($"code={AgreementErrorCodes.NoActiveAgreement}");
            Assert.Equal(2, noAgreement.Count);
            Assert.All(noAgreement, e => Assert.Equal("refused", e["outcome"]!.GetValue<string>()));
            using var unknownCode = await privacy.GetAsync("/api/v1/audit/entries?code=PARS-XXX-999", TestContext.Current.CancellationToken);
            Assert.Equal(HttpStatusCode.BadRequest, unknownCode.StatusCode);
            Assert.Contains("unknown-code", await unknownCode.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
        }

        var (readStatus, read) = await PartnerAsync(server, TestAgreementDocuments.PartnerGet($"/api/v1/partner/arrests/{number}"));
        Assert.Equal(HttpStatusCode.OK, readStatus);
        Assert.Equal(number, read["record"]!["arrestNumber"]!.GetValue<string>());
        var (termsStatus, terms) = await PartnerAsync(server, new HttpRequestMessage(HttpMethod.Get, "/api/v1/partner/agreement"));
        Assert.Equal(HttpStatusCode.OK, termsStatus);
        Assert.Equal("last4", terms["terms"]!["fields"]!["person.ssn"]!.GetValue<string>());
        Assert.Equal(2, terms["usageToday"]!["queries"]!.GetValue<int>());

        // expiresAt − 1 s is still in force; expiresAt is not, on the very next request.
        server.Clock.SetUtcNow(expiresAt.AddSeconds(-1));
        Assert.Equal(HttpStatusCode.OK, (await PartnerAsync(server, TestAgreementDocuments.PartnerGet($"/api/v1/partner/arrests/{number}"))).Status);
        server.Clock.SetUtcNow(expiresAt);
        await ExpectRefusalAsync(server, TestAgreementDocuments.PartnerGet($"/api/v1/partner/arrests/{number}"), AgreementErrorCodes.Expired);

        var expired = await SendOkAsync(server, Roles.PrivacyOfficer, new HttpRequestMessage(HttpMethod.Get, "/api/v1/agreements/ice-test"), HttpStatusCode.OK);
        Assert.Equal("expired", StatusOf(expired));
        var notice = await NoticeAsync(server, "ice-test", html: false);
        Assert.Contains(AgreementClock.Format(expiresAt, TimeZoneInfo.FindSystemTimeZoneById("America/New_York")).Replace("_", "\\_", StringComparison.Ordinal), notice, StringComparison.Ordinal);
        Assert.Contains("has expired", notice, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task Two_withdrawals_terminate_at_the_notice_instant_and_the_notice_counts_from_the_audit_log(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        var reps = await AgreementArrange.RepresentativesAsync(server);
        var number = await BookAsync(server);
        var now = server.Clock.GetUtcNow();
        await ActivateAsync(server, reps, TestAgreementDocuments.Document("ice-end", "ICE", now.AddDays(-1), now.AddDays(100)));

        Assert.Equal(HttpStatusCode.OK, (await PartnerAsync(server, TestAgreementDocuments.PartnerGet(Search))).Status);
        Assert.Equal(HttpStatusCode.OK, (await PartnerAsync(server, TestAgreementDocuments.PartnerGet($"/api/v1/partner/arrests/{number}"))).Status);
        await ExpectRefusalAsync(server, TestAgreementDocuments.PartnerGet(Search, purpose: null), AgreementErrorCodes.PurposeNotAllowed);

        await VoteAsync(server, reps["PPD"], "ice-end", "withdraw");
        await VoteAsync(server, reps["PPD"], "ice-end", "withdraw", HttpStatusCode.Conflict, AgreementErrorCodes.DuplicateVote);
        var cutOff = now.AddHours(1);
        var withdrawn = await VoteAsync(server, reps["FJD"], "ice-end", "withdraw", noticeAt: cutOff);
        Assert.Equal("active", StatusOf(withdrawn));

        server.Clock.SetUtcNow(cutOff.AddSeconds(-1));
        Assert.Equal(HttpStatusCode.OK, (await PartnerAsync(server, TestAgreementDocuments.PartnerGet(Search))).Status);
        server.Clock.SetUtcNow(cutOff);
        await ExpectRefusalAsync(server, TestAgreementDocuments.PartnerGet(Search), AgreementErrorCodes.TerminatedOrSuspended);
        await VoteAsync(server, reps["DAO"], "ice-end", "consent", HttpStatusCode.Conflict, AgreementErrorCodes.VoteNotAllowedNow);

        // The figures, counted here straight from the audit tables.
        await using var db = server.NewContext();
        int[] access = [(int)AuditEventType.PartnerSearch, (int)AuditEventType.PartnerRead];
        var entries = db.AuditEntries.Where(e => access.Contains(e.EventType) && e.AgencyCode == "ICE");
        var allowed = await entries.CountAsync(e => e.Outcome == "allowed", TestContext.Current.CancellationToken);
        var refused = await entries.CountAsync(e => e.Outcome == "refused", TestContext.Current.CancellationToken);
        var records = await db.AuditEntryRecords.CountAsync(r => entries.Any(e => e.Index == r.Index && e.Outcome == "allowed"), TestContext.Current.CancellationToken);
        Assert.Equal((3, 2, 3), (allowed, refused, records));

        var zone = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");
        var markdown = await NoticeAsync(server, "ice-end", html: false);
        Assert.Contains("has terminated", markdown, StringComparison.Ordinal);
        Assert.Contains($"**Access cut off at:** {AgreementClock.Format(cutOff, zone).Replace("_", "\\_", StringComparison.Ordinal)}", markdown, StringComparison.Ordinal);
        Assert.Contains($"**Requests allowed:** {allowed}", markdown, StringComparison.Ordinal);
        Assert.Contains($"**Requests refused:** {refused}", markdown, StringComparison.Ordinal);
        Assert.Contains($"**Records disclosed:** {records}", markdown, StringComparison.Ordinal);
        Assert.Contains("This agency votes withdraw.", markdown, StringComparison.Ordinal);

        var html = await NoticeAsync(server, "ice-end", html: true);
        Assert.Contains($"<dt>Access cut off at</dt><dd>{System.Net.WebUtility.HtmlEncode(AgreementClock.Format(cutOff, zone))}</dd>", html, StringComparison.Ordinal);
        Assert.Contains($"<dt>Records disclosed</dt><dd>{records}</dd>", html, StringComparison.Ordinal);
    }

    [Theory, AllProviders]
    public async Task A_renewal_that_reached_quorum_takes_over_at_expiry_without_a_gap(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        var reps = await AgreementArrange.RepresentativesAsync(server);
        var now = server.Clock.GetUtcNow();
        var expiresAt = now.AddDays(10);
        await ActivateAsync(server, reps, TestAgreementDocuments.Document("ice-renew", "ICE", now.AddDays(-1), expiresAt));

        // A renewal must expire later; then it is a new version with its own vote.
        var (early, earlyBody) = await SendAsTokenAsync(server, reps["DAO"], TestAgreementDocuments.PostJson("/api/v1/agreements/ice-renew/renewals",
            TestAgreementDocuments.Document("ice-renew", "ICE", now.AddDays(-1), expiresAt.AddDays(-1), version: 2)));
        Assert.Equal(HttpStatusCode.BadRequest, early);
        Assert.Equal(AgreementErrorCodes.InvalidRenewal, earlyBody["code"]!.GetValue<string>());
        var renewedUntil = expiresAt.AddDays(15); // within the test tokens' 30 days
        var renewal = await SendOkAsync(server, Roles.StakeholderRepresentative, TestAgreementDocuments.PostJson("/api/v1/agreements/ice-renew/renewals",
            TestAgreementDocuments.Document("ice-renew", "ICE", expiresAt, renewedUntil, version: 2)), HttpStatusCode.Created);
        Assert.Equal("active", StatusOf(renewal));
        await SendOkAsync(server, Roles.StakeholderRepresentative, new HttpRequestMessage(HttpMethod.Post, "/api/v1/agreements/ice-renew/propose"), HttpStatusCode.OK);
        foreach (var agency in new[] { "PPD", "DAO", "FJD" })
        {
            await VoteAsync(server, reps[agency], "ice-renew", "consent");
        }

        server.Clock.SetUtcNow(expiresAt);
        var (status, found) = await PartnerAsync(server, TestAgreementDocuments.PartnerGet(Search));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, found["agreement"]!["version"]!.GetValue<int>());
        Assert.Equal(AgreementViewsInstant(renewedUntil), found["agreement"]!["expiresAt"]!.GetValue<string>());

        server.Clock.SetUtcNow(renewedUntil);
        await ExpectRefusalAsync(server, TestAgreementDocuments.PartnerGet(Search), AgreementErrorCodes.Expired);
    }

    [Theory, AllProviders]
    public async Task Suspension_holds_on_the_next_request_and_a_quorum_resumes(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        var reps = await AgreementArrange.RepresentativesAsync(server);
        var id = await AgreementArrange.AgreementAsync(server, "ICE", ArrangedState.Active);
        Assert.Equal(HttpStatusCode.OK, (await PartnerAsync(server, TestAgreementDocuments.PartnerGet(Search))).Status);

        // A representative may not suspend; a privacy officer may.
        var (repSuspends, _) = await SendAsTokenAsync(server, reps["PPD"], TestAgreementDocuments.PostJson($"/api/v1/agreements/{id}/suspension", new JsonObject { ["statement"] = "Pending review." }));
        Assert.Equal(HttpStatusCode.Forbidden, repSuspends);
        var suspended = await SendOkAsync(server, Roles.PrivacyOfficer, TestAgreementDocuments.PostJson($"/api/v1/agreements/{id}/suspension", new JsonObject { ["statement"] = "Suspended pending review of a complaint." }), HttpStatusCode.OK);
        Assert.Equal("suspended", StatusOf(suspended));
        await ExpectRefusalAsync(server, TestAgreementDocuments.PartnerGet(Search), AgreementErrorCodes.TerminatedOrSuspended);
        await ExpectRefusalAsync(server, new HttpRequestMessage(HttpMethod.Get, "/api/v1/partner/agreement"), AgreementErrorCodes.TerminatedOrSuspended);

        // Whatever the role, a partner agency's user never votes: the rule holds in the domain too.
        var partnerActor = new AgreementActor(server.UserIds[Roles.PartnerAnalyst], Roles.PartnerAnalyst, "ICE", AgencyKind.Partner);
        var refusal = await Assert.ThrowsAsync<DomainException>(() => AgreementArrange.Store(server).VoteAsync(id, VoteKind.Consent, "Resume, please.", null, null, partnerActor, TestContext.Current.CancellationToken));
        Assert.Equal(AgreementErrorCodes.VoterNotStakeholder, refusal.Code);

        await VoteAsync(server, reps["PPD"], id, "consent");
        await VoteAsync(server, reps["DAO"], id, "consent");
        await ExpectRefusalAsync(server, TestAgreementDocuments.PartnerGet(Search), AgreementErrorCodes.TerminatedOrSuspended);
        var resumed = await VoteAsync(server, reps["FJD"], id, "consent");
        Assert.Equal("active", StatusOf(resumed));
        Assert.Equal(HttpStatusCode.OK, (await PartnerAsync(server, TestAgreementDocuments.PartnerGet(Search))).Status);
    }

    [Theory, AllProviders]
    public async Task Every_refusal_code_is_reached_and_leaves_exactly_one_audit_entry(StorageProvider provider)
    {
        await using var web = await ProviderTestServer.StartAsync(provider, ct: TestContext.Current.CancellationToken);
        var server = web.Server;
        var reps = await AgreementArrange.RepresentativesAsync(server);
        var number = await BookAsync(server);
        var now = server.Clock.GetUtcNow();
        var expiresAt = now.AddDays(20);
        var document = TestAgreementDocuments.Document("ice-codes", "ICE", now.AddHours(1), expiresAt).With(d =>
        {
            d["operations"] = new JsonArray("search");
            d["allowedCriteria"] = new JsonArray("arrestNumber", "lastName", "dateOfBirth", "sid");
            d["quotas"] = new JsonObject { ["queriesPerUserPerDay"] = 3, ["recordsPerAgencyPerDay"] = 100, ["maxActiveWatches"] = 50 };
        });
        var codes = new List<string>();

        async Task Refused(HttpRequestMessage request, string code, int status = 403)
        {
            await ExpectRefusalAsync(server, request, code, status);
            codes.Add(code);
        }

        await Refused(TestAgreementDocuments.PartnerGet(Search), AgreementErrorCodes.NoActiveAgreement);
        await ActivateAsync(server, reps, document);
        await Refused(TestAgreementDocuments.PartnerGet(Search), AgreementErrorCodes.NotYetEffective);

        server.Clock.Advance(TimeSpan.FromHours(1));
        await Refused(TestAgreementDocuments.PartnerGet(Search, purpose: null), AgreementErrorCodes.PurposeNotAllowed);
        await Refused(TestAgreementDocuments.PartnerGet(Search, reason: "curious"), AgreementErrorCodes.ReasonMissing);
        await Refused(TestAgreementDocuments.PartnerGet(Search, reason: "Routine sweep of the weekend bookings"), AgreementErrorCodes.ReasonBlockedTerm);
        await Refused(TestAgreementDocuments.PartnerGet(Search, caseNumber: null), AgreementErrorCodes.CaseNumberMissing);
        await Refused(TestAgreementDocuments.PartnerGet(Search + "&placeOfBirth=Lagos"), AgreementErrorCodes.ProhibitedCriterion);
        await Refused(TestAgreementDocuments.PartnerGet(Search + "&firstName=Chidi"), AgreementErrorCodes.CriterionNotAllowed);
        await Refused(TestAgreementDocuments.PartnerGet("/api/v1/partner/arrests?lastName=Okafor"), AgreementErrorCodes.QueryTooBroad);
        await Refused(TestAgreementDocuments.PartnerGet($"/api/v1/partner/arrests/{number}"), AgreementErrorCodes.OperationNotGranted);

        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await PartnerAsync(server, TestAgreementDocuments.PartnerGet(Search))).Status);
        }

        await Refused(TestAgreementDocuments.PartnerGet(Search), AgreementErrorCodes.QuotaExceeded, 429);

        await SendOkAsync(server, Roles.PrivacyOfficer, TestAgreementDocuments.PostJson("/api/v1/agreements/ice-codes/suspension", new JsonObject { ["statement"] = "Review of the quota use." }), HttpStatusCode.OK);
        await Refused(TestAgreementDocuments.PartnerGet(Search), AgreementErrorCodes.TerminatedOrSuspended);

        server.Clock.SetUtcNow(expiresAt);
        await Refused(TestAgreementDocuments.PartnerGet(Search), AgreementErrorCodes.Expired);

        Assert.Equal(13, codes.Count);
        foreach (var code in codes)
        {
            Assert.True(await AuditCountAsync(server, code) == 1, $"{code} should leave exactly one audit entry");
        }

        var quota = await LastRefusalAsync(server, AgreementErrorCodes.QuotaExceeded);
        Assert.Equal("ice-codes", AuditPayloads.Read<PartnerAccessV1>(quota)!.AgreementId);
        Assert.Equal("within-quota", AuditPayloads.Read<PartnerAccessV1>(quota)!.Rule);
        Assert.Equal(429, quota["status"]!.GetValue<int>());
    }

    private static async Task<JsonObject> LastRefusalAsync(OpenParsTestServer server, string code)
    {
        await using var db = server.NewContext();
        var bytes = await db.AuditEntries.Where(e => e.Code == code).OrderByDescending(e => e.Index).Select(e => e.Entry).FirstAsync();
        return JsonNode.Parse(bytes)!.AsObject();
    }

    private static async Task<string> NoticeAsync(OpenParsTestServer server, string id, bool html)
    {
        using var client = server.Client(Roles.PrivacyOfficer);
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/v1/agreements/{id}/notice");
        if (html)
        {
            request.Headers.Accept.ParseAdd("text/html");
        }

        using var response = await client.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, body);
        Assert.Equal(html ? "text/html" : "text/markdown", response.Content.Headers.ContentType?.MediaType);
        return body;
    }

    private static string AgreementViewsInstant(DateTimeOffset value) => OpenPars.App.Agreements.AgreementViews.Instant(value);
}
