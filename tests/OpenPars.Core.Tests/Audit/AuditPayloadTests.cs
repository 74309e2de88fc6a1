using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using CsCheck;
using OpenPars.Core.Agreements;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Core.Tests.Policy;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Audit;

/// <summary>
/// Typed payloads: each one written into an entry's canonical bytes reads back as itself, by its type and by the
/// discriminated read; entries written before payloads (a <c>details</c> string map) read as the same facts; a payload
/// never reads as another family's.
/// </summary>
public class AuditPayloadTests
{
    private static readonly DateTimeOffset Time = new(2026, 3, 10, 13, 15, 30, TimeSpan.Zero);

    // Text as requests bring it: several scripts and combining marks, ASCII with quotes, backslashes and controls.
    private static readonly Gen<string> Text = Gen.OneOf(TestGens.Name, Gen.String[Gen.Char[(char)0, (char)0x7F], 0, 24], Gen.String[Gen.Char['\u00A0', '\uD7FF'], 0, 8]);
    private static readonly Gen<string?> MaybeText = Gen.OneOf(Text.Select(t => (string?)t), Gen.Const((string?)null));
    private static readonly Gen<IReadOnlyList<string>> Texts = Text.Array[0, 5].Select(a => (IReadOnlyList<string>)a);
    private static readonly Gen<long> Id = Gen.OneOf(Gen.Long, Gen.Long[0, 1000], Gen.Const(long.MaxValue), Gen.Const(9_007_199_254_740_993L));
    private static readonly Gen<int?> MaybeInt = Gen.OneOf(Gen.Int.Select(i => (int?)i), Gen.Const((int?)null));
    private static readonly Gen<DateTimeOffset> Instant = Gen.Long[DateTimeOffset.MinValue.Ticks, DateTimeOffset.MaxValue.Ticks].Select(t => new DateTimeOffset(t, TimeSpan.Zero));

    private static void RoundTrips<T>(Gen<T> payloads)
        where T : class, IAuditPayload<T> =>
        payloads.Sample(payload =>
        {
            var entry = new AuditEntry { Type = T.Schema.EventTypes[0], Time = Time, Payload = AuditPayloads.Write(payload) };
            var bytes = entry.CanonicalBytes(42);

            var back = AuditPayloads.Read<T>(bytes);
            back.ShouldNotBeNull();
            back.ShouldSay(payload);
            AuditPayloads.Read(JsonNode.Parse(bytes)!).ShouldBeOfType<T>().ShouldSay(payload);

            // Read back and written again, the entry is the same bytes: nothing lost, nothing reordered.
            (entry with { Payload = AuditPayloads.Write(back) }).CanonicalBytes(42).ShouldBe(bytes);
        }, iter: 300);

    [Fact]
    public void Partner_access_round_trips() => RoundTrips(
        Gen.Select(MaybeText, MaybeInt, MaybeText, MaybeText, MaybeText, Gen.OneOf(Texts.Select(t => (IReadOnlyList<string>?)t), Gen.Const((IReadOnlyList<string>?)null)), MaybeText)
            .Select((id, version, purpose, reason, caseNumber, fields, rule) => new PartnerAccessV1
            {
                AgreementId = id, AgreementVersion = version, Purpose = purpose, Reason = reason, CaseNumber = caseNumber, DisclosedFields = fields, Rule = rule,
            }));

    [Fact]
    public void Agreement_change_round_trips() => RoundTrips(Gen.Select(Text, Gen.Int, MaybeInt).Select((id, sequence, version) => new AgreementChangeV1(id, sequence, version)));

    [Fact]
    public void Agreement_vote_round_trips() => RoundTrips(
        Gen.Select(Text, Gen.Int, MaybeInt, Gen.OneOf(Gen.Enum<VoteKind>().Select(v => (VoteKind?)v), Gen.Const((VoteKind?)null)), Gen.OneOf(Instant.Select(i => (DateTimeOffset?)i), Gen.Const((DateTimeOffset?)null)))
            .Select((id, sequence, version, vote, notice) => new AgreementVoteV1(id, sequence, version, vote, notice)));

    [Fact]
    public void Agreement_read_round_trips() => RoundTrips(Text.Select(id => new AgreementReadV1(id)));

    [Fact]
    public void Agency_added_round_trips() => RoundTrips(Gen.Select(Text, Text, Text.Null()).Select((code, kind, partnerKind) => new AgencyAddedV1(code, kind, partnerKind)));

    [Fact]
    public void User_added_round_trips() => RoundTrips(Gen.Select(Id, Text, Text, Texts).Select((id, name, agency, roles) => new UserAddedV1(id, name, agency, roles)));

    [Fact]
    public void Token_created_round_trips() => RoundTrips(Gen.Select(Id, Id).Select((user, token) => new TokenCreatedV1(user, token)));

    [Fact]
    public void Token_revoked_round_trips() => RoundTrips(Id.Select(token => new TokenRevokedV1(token)));

    [Fact]
    public void Roles_changed_round_trips() => RoundTrips(Gen.Select(Id, Texts, Texts).Select((user, before, after) => new RolesChangedV1(user, before, after)));

    [Fact]
    public void Enrolment_issued_round_trips() => RoundTrips(Gen.Select(Id, Id).Select((user, enrolment) => new EnrolmentIssuedV1(user, enrolment)));

    [Fact]
    public void Enrolment_redeemed_round_trips() => RoundTrips(Gen.Select(Id, Id, Id).Select((user, enrolment, token) => new EnrolmentRedeemedV1(user, enrolment, token)));

    [Fact]
    public void Arrest_booked_round_trips() => RoundTrips(Gen.Select(Gen.Bool, Text.Null()).Select((replay, reason) => new ArrestBookedV1(replay, reason)));

    [Fact]
    public void Charter_change_round_trips() => RoundTrips(Gen.Select(Gen.Int[1, 100_000], Gen.Int[1, 1000], Text.Null(), Text.Null(), Gen.Enum<OpenPars.Core.Agreements.VoteKind>().Nullable())
        .Select((sequence, version, id, source, vote) => new CharterChangeV1(sequence, version, id, source, vote)));


    [Fact]
    public void Stream_opened_round_trips() => RoundTrips(Gen.Select(Text, Id.Nullable()).Select((stream, after) => new StreamOpenedV1(stream, after)));

    [Fact]
    public void Stream_delivered_round_trips() => RoundTrips(Gen.Select(Text, Gen.Int, Id, Id).Select((stream, n, first, last) => new StreamDeliveredV1(stream, n, first, last)));

    [Fact]
    public void Oversight_read_round_trips() => RoundTrips(Gen.Select(MaybeText, Gen.Date.Nullable(), Gen.Date.Nullable(), MaybeText)
        .Select((agency, from, to, window) => new OversightReadV1(agency, from is { } f ? DateOnly.FromDateTime(f) : null, to is { } t ? DateOnly.FromDateTime(t) : null, window)));

    [Fact]
    public void Oversight_alert_round_trips() => RoundTrips(Gen.Select(Text, MaybeText, MaybeText, MaybeText, MaybeText)
        .Select((id, kind, agency, agreement, suspended) => new OversightAlertV1(id, kind, agency, agreement, suspended)));

    [Fact]
    public void Transparency_report_round_trips() => RoundTrips(Gen.Select(Text, Text, Id, Gen.Bool.Nullable())
        .Select((month, hash, proven, ok) => new TransparencyReportV1(month, hash, proven, ok)));

    [Fact]
    public void Arrests_batch_written_round_trips() => RoundTrips(Gen.Select(Gen.Int, Text, Text).Select((n, first, last) => new ArrestsBatchWrittenV1(n, first, last)));

    [Fact]
    public void Arrests_seeded_round_trips() => RoundTrips(Gen.Select(Gen.Int, Gen.Int).Select((n, seed) => new ArrestsSeededV1(n, seed)));

    [Fact]
    public void Events_adopted_round_trips() => RoundTrips(Gen.Select(Gen.Int, Id, Id).Select((n, first, last) => new EventsAdoptedV1(n, first, last)));

    [Fact]
    public void Audit_exported_round_trips() => RoundTrips(Gen.Select(Id, Id).Select((first, end) => new AuditExportedV1(first, end)));

    [Fact]
    public void Audit_key_rotated_round_trips() => RoundTrips(Gen.Select(Text, Text).Select((old, next) => new AuditKeyRotatedV1(old, next)));

    [Fact]
    public void Store_backed_up_round_trips() => RoundTrips(Gen.Select(Text, Id).Select((provider, size) => new StoreBackedUpV1(provider, size)));

    [Fact]
    public void Store_restored_round_trips() => RoundTrips(Gen.Select(Text, Id, Id).Select((provider, size, published) => new StoreRestoredV1(provider, size, published)));

    [Fact]
    public void Every_payload_type_has_its_own_schema_and_no_event_type_carries_two()
    {
        AuditPayloads.Schemas.Select(s => s.Id).ShouldBeUnique();
        AuditPayloads.Schemas.Select(s => s.Name).ShouldBeUnique();
        AuditPayloads.Schemas.SelectMany(s => s.EventTypes).ShouldBeUnique();
        AuditPayloads.Schemas.ShouldAllBe(s => s.Version >= 1 && s.EventTypes.Count > 0);

        // Every payload type in the assembly is registered (a type left out would not read back discriminated).
        var declared = typeof(AuditPayloads).Assembly.GetTypes()
            .Where(t => !t.IsAbstract && t.GetInterfaces().Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IAuditPayload<>)))
            .Select(t => ((AuditPayloadSchema)t.GetProperty(nameof(PartnerAccessV1.Schema))!.GetValue(null)!).Id);
        declared.Order(StringComparer.Ordinal).ShouldBe(AuditPayloads.Schemas.Select(s => s.Id).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void An_entry_with_a_payload_is_exactly_these_canonical_bytes()
    {
        var entry = new AuditEntry
        {
            Type = AuditEventType.UserAdded,
            Time = Time,
            Channel = "cli",
            OsUser = "root",
            Payload = AuditPayloads.Write(new UserAddedV1(9_007_199_254_740_993, "dao.charging2", "DAO", ["charging-attorney"])),
        };
        Encoding.UTF8.GetString(entry.CanonicalBytes(3)).ShouldBe(
            """{"channel":"cli","event":"admin.user-added","index":"3","osUser":"root","outcome":"allowed","payload":{"agency":"DAO","roles":["charging-attorney"],"schema":"user-added@1","user":"dao.charging2","userId":"9007199254740993"},"time":"2026-03-10T13:15:30.000000Z","type":5004}""");
    }

    [Fact]
    public void A_partner_entry_written_before_payloads_reads_as_the_same_facts()
    {
        // Exactly the bytes the previous format wrote for a refused partner search (AuditEntryFormatTests' full entry),
        // and an allowed one with the string details of that time.
        var refused = JsonNode.Parse(
            """{"actor":{"agency":"ICE","roles":["partner-analyst","reader"],"tokenId":"12","user":"ice.analyst","userId":"9007199254740993"},"channel":"http","client":"127.0.0.1","code":"PARS-AGR-030","criteria":{"dateOfBirth":"1987-06-05","lastName":"Doe"},"details":{"rule":"within-quota"},"event":"partner.search","index":"9007199254740993","method":"GET","outcome":"refused","path":"/api/v1/partner/arrests","records":["26-0000001","26-0000002"],"status":429,"time":"2026-03-10T13:15:30.123456Z","type":8001}""")!;
        AuditPayloads.Read<PartnerAccessV1>(refused).ShouldSay(new PartnerAccessV1 { Rule = "within-quota" });

        var allowed = Legacy(AuditEventType.PartnerRead, new()
        {
            ["agreementId"] = "ice-2026", ["agreementVersion"] = "3", ["purpose"] = "immigration-enforcement", ["reason"] = "Warrant 1234",
            ["caseNumber"] = "A-12", ["disclosedFields"] = "arrestNumber,person.ssn,charges",
        });
        AuditPayloads.Read<PartnerAccessV1>(allowed).ShouldSay(new PartnerAccessV1
        {
            AgreementId = "ice-2026", AgreementVersion = 3, Purpose = "immigration-enforcement", Reason = "Warrant 1234", CaseNumber = "A-12",
            DisclosedFields = ["arrestNumber", "person.ssn", "charges"],
        });
        AuditPayloads.Read(allowed).ShouldBeOfType<PartnerAccessV1>().AgreementId.ShouldBe("ice-2026");
    }

    [Fact]
    public void Every_family_written_before_payloads_reads_as_the_same_facts()
    {
        AuditPayloads.Read<AgreementVoteV1>(Legacy(AuditEventType.AgreementVoteCast, new() { ["vote"] = "withdraw", ["noticeEffectiveAt"] = "2026-04-01T04:00:00.0000000Z", ["agreementId"] = "ice-2026", ["sequence"] = "7", ["version"] = "2" }))
            .ShouldBe(new AgreementVoteV1("ice-2026", 7, 2, VoteKind.Withdraw, new DateTimeOffset(2026, 4, 1, 4, 0, 0, TimeSpan.Zero)));
        AuditPayloads.Read<AgreementChangeV1>(Legacy(AuditEventType.AgreementSuspended, new() { ["agreementId"] = "ice-2026", ["sequence"] = "9" }))
            .ShouldBe(new AgreementChangeV1("ice-2026", 9, null));
        AuditPayloads.Read<AgreementReadV1>(Legacy(AuditEventType.AgreementNoticeRead, new() { ["agreementId"] = "fbi-2026" })).ShouldBe(new AgreementReadV1("fbi-2026"));
        AuditPayloads.Read<AgencyAddedV1>(Legacy(AuditEventType.AgencyAdded, new() { ["agency"] = "BCS", ["kind"] = "partner" })).ShouldBe(new AgencyAddedV1("BCS", "partner"));
        AuditPayloads.Read<UserAddedV1>(Legacy(AuditEventType.UserAdded, new() { ["newUserId"] = "15", ["newUser"] = "dao.charging2", ["agency"] = "DAO", ["roles"] = "charging-attorney,reader" }))
            .ShouldSay(new UserAddedV1(15, "dao.charging2", "DAO", ["charging-attorney", "reader"]));
        AuditPayloads.Read<TokenCreatedV1>(Legacy(AuditEventType.TokenCreated, new() { ["forUserId"] = "15", ["newTokenId"] = "40" })).ShouldBe(new TokenCreatedV1(15, 40));
        AuditPayloads.Read<TokenRevokedV1>(Legacy(AuditEventType.TokenRevoked, new() { ["revokedTokenId"] = "13" })).ShouldBe(new TokenRevokedV1(13));
        AuditPayloads.Read<RolesChangedV1>(Legacy(AuditEventType.RolesChanged, new() { ["userId"] = "15", ["rolesBefore"] = "charging-attorney", ["roles"] = "" }))
            .ShouldSay(new RolesChangedV1(15, ["charging-attorney"], []));
        AuditPayloads.Read<EnrolmentIssuedV1>(Legacy(AuditEventType.EnrolmentIssued, new() { ["forUserId"] = "15", ["enrolmentId"] = "3" })).ShouldBe(new EnrolmentIssuedV1(15, 3));
        AuditPayloads.Read<EnrolmentRedeemedV1>(Legacy(AuditEventType.EnrolmentRedeemed, new() { ["forUserId"] = "15", ["enrolmentId"] = "3", ["newTokenId"] = "41" })).ShouldBe(new EnrolmentRedeemedV1(15, 3, 41));
        AuditPayloads.Read<ArrestBookedV1>(Legacy(AuditEventType.ArrestBooked, new() { ["idempotentReplay"] = "true" })).ShouldBe(new ArrestBookedV1(true));
        AuditPayloads.Read<ArrestsBatchWrittenV1>(Legacy(AuditEventType.ArrestsBatchWritten, new() { ["arrests"] = "2000", ["firstArrest"] = "26-0000001", ["lastArrest"] = "26-0002000" }))
            .ShouldBe(new ArrestsBatchWrittenV1(2000, "26-0000001", "26-0002000"));
        AuditPayloads.Read<ArrestsSeededV1>(Legacy(AuditEventType.ArrestsSeeded, new() { ["arrests"] = "5000", ["seed"] = "2026", ["osUser"] = "dana" })).ShouldBe(new ArrestsSeededV1(5000, 2026));
        AuditPayloads.Read<EventsAdoptedV1>(Legacy(AuditEventType.EventsAdopted, new() { ["legacyEvents"] = "12", ["firstPosition"] = "1", ["lastPosition"] = "12" })).ShouldBe(new EventsAdoptedV1(12, 1, 12));
        AuditPayloads.Read<AuditExportedV1>(Legacy(AuditEventType.AuditExported, new() { ["firstIndex"] = "0", ["endIndex"] = "99" })).ShouldBe(new AuditExportedV1(0, 99));
        // Feed and oversight entries written before their payloads (2026-11) kept the same facts as strings.
        AuditPayloads.Read<StreamOpenedV1>(Legacy(AuditEventType.ArrestStreamOpened, new() { ["lastEventId"] = "41" })).ShouldBe(new StreamOpenedV1("", 41));
        AuditPayloads.Read<StreamDeliveredV1>(Legacy(AuditEventType.StreamDelivered, new() { ["stream"] = "charging-queue", ["events"] = "2", ["firstPosition"] = "42", ["lastPosition"] = "44" }))
            .ShouldBe(new StreamDeliveredV1("charging-queue", 2, 42, 44));
        AuditPayloads.Read<OversightReadV1>(Legacy(AuditEventType.OversightUsageRead, new() { ["agency"] = "ICE", ["from"] = "2026-11-01", ["to"] = "2026-11-30" }))
            .ShouldBe(new OversightReadV1("ICE", new DateOnly(2026, 11, 1), new DateOnly(2026, 11, 30)));
        AuditPayloads.Read<OversightAlertV1>(Legacy(AuditEventType.OversightAlertRaised, new() { ["alertId"] = "a1", ["kind"] = "disparity", ["agency"] = "ICE", ["agreementId"] = "ice-2026", ["autoSuspended"] = "suspended" }))
            .ShouldBe(new OversightAlertV1("a1", "disparity", "ICE", "ice-2026", "suspended"));
    }

    [Fact]
    public void The_os_user_of_a_cli_entry_reads_from_either_format()
    {
        AuditPayloads.OsUser(Legacy(AuditEventType.ArrestsSeeded, new() { ["osUser"] = "dana" })).ShouldBe("dana");
        AuditPayloads.OsUser(JsonNode.Parse(new AuditEntry { Type = AuditEventType.ArrestsSeeded, Time = Time, OsUser = "dana" }.CanonicalBytes(0))!).ShouldBe("dana");
        AuditPayloads.OsUser(Legacy(AuditEventType.ArrestsSeeded, new() { ["arrests"] = "1" })).ShouldBeNull();
    }

    [Fact]
    public void A_payload_never_reads_as_another_familys()
    {
        var vote = JsonNode.Parse(new AuditEntry { Type = AuditEventType.AgreementVoteCast, Time = Time, Payload = AuditPayloads.Write(new AgreementVoteV1("ice-2026", 4, 1, VoteKind.Consent, null)) }.CanonicalBytes(1))!;
        AuditPayloads.Read<AgreementChangeV1>(vote).ShouldBeNull();
        AuditPayloads.Read<PartnerAccessV1>(vote).ShouldBeNull();

        // An old entry is read by its event type: a vote's details are not a partner's, nor a draft's.
        var oldVote = Legacy(AuditEventType.AgreementVoteCast, new() { ["agreementId"] = "ice-2026", ["sequence"] = "4" });
        AuditPayloads.Read<PartnerAccessV1>(oldVote).ShouldBeNull();
        AuditPayloads.Read<AgreementChangeV1>(oldVote).ShouldBeNull();

        // An entry with neither payload nor details carries none.
        var bare = JsonNode.Parse(new AuditEntry { Type = AuditEventType.PartnerSearch, Time = Time }.CanonicalBytes(2))!;
        AuditPayloads.Read<PartnerAccessV1>(bare).ShouldBeNull();
        AuditPayloads.Read(bare).ShouldBeNull();
    }

    [Fact]
    public void A_payload_that_names_a_schema_but_not_its_shape_is_refused()
    {
        var forged = JsonNode.Parse("""{"type":8001,"payload":{"schema":"partner-access@1","agreementId":"ice-2026","grantedTo":"everyone"}}""")!;
        Should.Throw<JsonException>(() => AuditPayloads.Read<PartnerAccessV1>(forged));

        // A schema this build does not know (a later version) is not guessed at.
        var later = JsonNode.Parse("""{"type":8001,"payload":{"schema":"partner-access@2","agreementId":"ice-2026"}}""")!;
        AuditPayloads.Read<PartnerAccessV1>(later).ShouldBeNull();
        AuditPayloads.Read(later).ShouldBeNull();
    }

    [Fact]
    public void The_agreement_and_purpose_columns_derive_from_the_payload_or_an_old_entrys_details()
    {
        static AuditEntryColumns Columns(AuditEntry entry) =>
            AuditEntryFacts.TryRead(entry.CanonicalBytes(4), out var facts, out var error) ? facts.Columns : throw new InvalidOperationException(error);

        var allowed = new AuditEntry
        {
            Type = AuditEventType.PartnerSearch, Time = Time,
            Payload = AuditPayloads.Write(new PartnerAccessV1 { AgreementId = "ice-2026", Purpose = "immigration-enforcement", Reason = "agreementId purpose" }),
        };
        Columns(allowed).AgreementId.ShouldBe("ice-2026");
        Columns(allowed).Purpose.ShouldBe("immigration-enforcement");

        var vote = new AuditEntry { Type = AuditEventType.AgreementVoteCast, Time = Time, Payload = AuditPayloads.Write(new AgreementVoteV1("fbi-2026", 3, 1, VoteKind.Reject, null)) };
        (Columns(vote).AgreementId, Columns(vote).Purpose).ShouldBe(("fbi-2026", null));

        var old = new AuditEntry { Type = AuditEventType.PartnerRead, Time = Time, Details = new Dictionary<string, string> { ["agreementId"] = "ice-2026", ["purpose"] = "warrant-service" } };
        (Columns(old).AgreementId, Columns(old).Purpose).ShouldBe(("ice-2026", "warrant-service"));

        // A payload decides even when it names no agreement: details beside it (the obsolete Detail path) do not.
        var both = new AuditEntry { Type = AuditEventType.PartnerSearch, Time = Time, Payload = AuditPayloads.Write(new PartnerAccessV1()), Details = new Dictionary<string, string> { ["agreementId"] = "ice-2026" } };
        (Columns(both).AgreementId, Columns(both).Purpose).ShouldBe((null, null));

        // Criteria named like them are not them.
        var search = new AuditEntry { Type = AuditEventType.ArrestsSearched, Time = Time, Criteria = new Dictionary<string, string> { ["agreementId"] = "x", ["purpose"] = "y" } };
        (Columns(search).AgreementId, Columns(search).Purpose).ShouldBe((null, null));
    }

    private static JsonNode Legacy(AuditEventType type, Dictionary<string, string> details) =>
        JsonNode.Parse(new AuditEntry { Type = type, Time = Time, Details = details }.CanonicalBytes(11))!;
}

/// <summary>Payload equality as a reader means it: every member equal, lists item by item (records compare lists by reference).</summary>
internal static class PayloadAssertions
{
    public static void ShouldSay<T>(this T? actual, T expected)
        where T : class
    {
        actual.ShouldNotBeNull();
        foreach (var property in typeof(T).GetProperties().Where(p => p.GetIndexParameters().Length == 0 && p.GetGetMethod()?.IsStatic == false))
        {
            var (a, e) = (property.GetValue(actual), property.GetValue(expected));
            if (a is IEnumerable<string> list && e is IEnumerable<string> expectedList)
            {
                list.ShouldBe(expectedList, property.Name);
            }
            else
            {
                a.ShouldBe(e, property.Name);
            }
        }
    }
}
