using OpenPars.Core.Agreements;
using OpenPars.Core.Common;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Agreements;

public class AgreementValidatorTests
{
    private static AgreementDocument Valid => TestAgreements.Document();

    private static AgreementDocument Granting(string field, FieldMask mask = FieldMask.Full)
    {
        var document = Valid;
        document.Fields[field] = mask;
        return document;
    }

    [Fact]
    public void The_test_document_is_valid() => AgreementValidator.Validate(Valid).All.ShouldBeEmpty();

    [Theory]
    [InlineData("involvedParties")]
    [InlineData("involvedParties.name")]
    [InlineData("victims")]
    [InlineData("witnesses")]
    [InlineData("incident.narrative")]
    [InlineData("person.placeOfBirth")]
    [InlineData("person.placeOfBirth.country")]
    [InlineData("person.countryOfBirth")]
    [InlineData("person.race")]
    [InlineData("person.ethnicity")]
    [InlineData("person.immigrationStatus")]
    [InlineData("person.citizenship")]
    [InlineData("Person.Citizenship_Status")]
    [InlineData("person.nationality")]
    public void Never_grantable_fields_are_refused_with_050(string field)
    {
        var errors = AgreementValidator.Validate(Granting(field));

        var error = errors.All.ShouldHaveSingleItem();
        error.Field.ShouldBe($"fields.{field}");
        error.Rule.ShouldBe(AgreementErrorCodes.Rules.NeverGrantable);
        AgreementErrorCodes.CodeOf(error.Rule).ShouldBe("PARS-AGR-050");
        Should.Throw<DomainException>(() => AgreementValidator.EnsureValid(Granting(field))).Code.ShouldBe("PARS-AGR-050");
    }

    [Fact]
    public void No_catalogue_field_is_caught_by_the_never_grantable_words() =>
        DisclosableFields.All.ShouldAllBe(f => !DisclosableFields.IsNeverGrantable(f.Name));

    [Fact]
    public void Never_grantable_fields_are_withheld_even_if_validation_is_skipped()
    {
        var document = Granting("involvedParties");
        document.Fields["person.ssn"] = FieldMask.Year; // a mask the field does not allow

        var grants = document.Grants().Select(g => g.Field).ToList();
        grants.ShouldNotContain("involvedParties");
        grants.ShouldNotContain("person.ssn");
        grants.ShouldContain("person.lastName");
    }

    [Theory]
    [InlineData("placeOfBirth")]
    [InlineData("place_of_birth")]
    [InlineData("PLACE-OF-BIRTH")]
    [InlineData("person.placeOfBirth")]
    [InlineData("countryOfBirth")]
    [InlineData("country_of_birth")]
    [InlineData("birthplace")]
    [InlineData("Birth Place")]
    [InlineData("race")]
    [InlineData("RACE")]
    [InlineData("ethnicity")]
    [InlineData("language")]
    [InlineData("religion")]
    [InlineData("countryOfOrigin")]
    public void Prohibited_criteria_in_allowedCriteria_are_refused_with_051(string criterion)
    {
        var document = Valid with { AllowedCriteria = [.. Valid.AllowedCriteria, criterion] };
        var error = AgreementValidator.Validate(document).All.ShouldHaveSingleItem();

        error.Field.ShouldBe($"allowedCriteria[{Valid.AllowedCriteria.Count}]");
        error.Rule.ShouldBe(AgreementErrorCodes.Rules.ProhibitedCriterion);
        AgreementErrorCodes.CodeOf(error.Rule).ShouldBe("PARS-AGR-051");
    }

    [Fact]
    public void The_prohibited_list_only_grows()
    {
        var configured = ProhibitedCriteria.WithConfigured(["tribalAffiliation", "", "race"]);

        ProhibitedCriteria.BuiltIn.Names.ShouldAllBe(n => configured.IsProhibited(n));
        configured.IsProhibited("tribal_affiliation").ShouldBeTrue();
        ProhibitedCriteria.BuiltIn.IsProhibited("tribalAffiliation").ShouldBeFalse();
        ProhibitedCriteria.WithConfigured(null).Names.ShouldBe(ProhibitedCriteria.BuiltIn.Names);

        var document = Valid with { AllowedCriteria = [.. Valid.AllowedCriteria, "tribalAffiliation"] };
        AgreementValidator.Validate(document, configured).All.ShouldHaveSingleItem().Rule.ShouldBe(AgreementErrorCodes.Rules.ProhibitedCriterion);
        AgreementValidator.Validate(document).All.ShouldHaveSingleItem().Rule.ShouldBe("unknown-criterion");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    public void ExpiresAt_must_be_after_effectiveAt_052(int seconds)
    {
        var document = Valid with { ExpiresAt = Valid.EffectiveAt.AddSeconds(seconds) };
        var error = AgreementValidator.Validate(document).All.ShouldHaveSingleItem();

        error.Field.ShouldBe("expiresAt");
        AgreementErrorCodes.CodeOf(error.Rule).ShouldBe("PARS-AGR-052");
    }

    [Fact]
    public void Every_broken_rule_is_reported_at_once_with_its_path()
    {
        var document = Valid with
        {
            AgreementId = "Bad Id",
            Version = 0,
            Title = "",
            Purposes = ["Criminal Investigation"],
            Operations = [],
            Fields = new() { ["person.ssn"] = FieldMask.Initial, ["shoeSize"] = FieldMask.Full },
            AllowedCriteria = ["hairColour"],
            RowScope = new RowScope { Statuses = [], BookedWithinDays = 0 },
            Quotas = new AgreementQuotas { QueriesPerUserPerDay = 0, RecordsPerAgencyPerDay = 0 },
            TimeZone = "Mars/Olympus_Mons",
            Quorum = new QuorumRule { ConsentsToEnter = 4, WithdrawalsToEnd = 0 },
        };

        var rules = AgreementValidator.Validate(document).All.Select(e => $"{e.Field}:{e.Rule}").ToList();
        rules.ShouldBe(
        [
            "agreementId:id-format", "version:min-value", "title:required", "purposes[0]:kebab-case", "operations:at-least-one",
            "fields.person.ssn:mask-not-allowed", "fields.shoeSize:unknown-field", "allowedCriteria[0]:unknown-criterion",
            "rowScope.statuses:empty-scope", "rowScope.bookedWithinDays:range", "quotas.queriesPerUserPerDay:range",
            "quotas.recordsPerAgencyPerDay:range", "timeZone:unknown-time-zone", "quorum.consentsToEnter:range", "quorum.withdrawalsToEnd:range",
        ], ignoreOrder: true);
    }

    [Fact]
    public void A_search_agreement_must_be_able_to_identify_a_person()
    {
        var document = Valid with { AllowedCriteria = ["lastName", "district"] };
        AgreementValidator.Validate(document).All.ShouldHaveSingleItem().Rule.ShouldBe("cannot-identify");
        AgreementValidator.Validate(document with { Operations = [PartnerOperation.Read] }).All.ShouldBeEmpty();
    }

    public static TheoryData<string, Func<AgreementDocument, AgreementDocument>, string> Messages => new()
    {
        // field:rule, the breaking change, what the message tells the person who wrote the document
        { "agreementId:id-format", d => d with { AgreementId = "Bad Id" }, "lower-case letters, digits or hyphens" },
        { "version:min-value", d => d with { Version = 0 }, "version must be 1 or more" },
        { "purposes:at-least-one", d => d with { Purposes = [] }, "at least one purpose" },
        { "purposes[0]:kebab-case", d => d with { Purposes = ["Criminal Investigation"] }, "purposes[0] must be a kebab-case name" },
        { "purposes:unique", d => d with { Purposes = ["warrant-service", "warrant-service"] }, "must not repeat" },
        { "operations:at-least-one", d => d with { Operations = [] }, "search, read or watch" },
        { "operations:unique", d => d with { Operations = [PartnerOperation.Read, PartnerOperation.Read, PartnerOperation.Search] }, "must not repeat" },
        { "operations:unknown-operation", d => d with { Operations = [PartnerOperation.Search, (PartnerOperation)7] }, "search, read or watch" },
        { "fields:at-least-one", d => d with { Fields = [] }, "at least one field" },
        { "fields.person.race:never-grantable", d => d with { Fields = new() { ["arrestNumber"] = FieldMask.Full, ["person.race"] = FieldMask.Full } }, "never be granted" },
        { "fields.shoeSize:unknown-field", d => d with { Fields = new() { ["arrestNumber"] = FieldMask.Full, ["shoeSize"] = FieldMask.Full } }, "not a field of the disclosable catalogue" },
        { "fields.person.ssn:mask-not-allowed", d => d with { Fields = new() { ["person.ssn"] = FieldMask.Initial } }, "person.ssn can be shown only as: full, last4" },
        { "allowedCriteria[5]:prohibited-criterion", d => d with { AllowedCriteria = [.. d.AllowedCriteria, "race"] }, "prohibited for partners" },
        { "allowedCriteria[5]:unknown-criterion", d => d with { AllowedCriteria = [.. d.AllowedCriteria, "hairColour"] }, "Allowed criteria are: arrestNumber" },
        { "allowedCriteria:unique", d => d with { AllowedCriteria = [.. d.AllowedCriteria, "SID"] }, "must not repeat" },
        { "allowedCriteria:cannot-identify", d => d with { AllowedCriteria = ["lastName"] }, "lastName with dateOfBirth" },
        { "rowScope.statuses:empty-scope", d => d with { RowScope = new RowScope { Statuses = [] } }, "rowScope.statuses is empty, which would match nothing" },
        { "rowScope.bookedWithinDays:range", d => d with { RowScope = new RowScope { BookedWithinDays = 0 } }, "between 1 and 3650" },
        { "rowScope.districts[0]:required", d => d with { RowScope = new RowScope { Districts = [" "] } }, "rowScope.districts[0] is required" },
        { "rowScope.offenseCategories[0]:max-length", d => d with { RowScope = new RowScope { OffenseCategories = [new string('c', 51)] } }, "at most 50 characters" },
        { "quotas:required", d => d with { Quotas = null! }, "quotas is required" },
        { "quotas.queriesPerUserPerDay:range", d => d with { Quotas = new AgreementQuotas { QueriesPerUserPerDay = 0, RecordsPerAgencyPerDay = 1 } }, "between 1 and 100000" },
        { "quotas.recordsPerAgencyPerDay:range", d => d with { Quotas = new AgreementQuotas { QueriesPerUserPerDay = 1, RecordsPerAgencyPerDay = 0 } }, "between 1 and 1000000" },
        { "blockedReasonTerms[1]:max-length", d => d with { BlockedReasonTerms = ["sweep", new string('t', 101)] }, "at most 100 characters" },
        { "autoSuspendOn[1]:unknown-alert-kind", d => d with { AutoSuspendOn = ["disparity", "sweeps"] }, "oversight alert kinds" },
        { "autoSuspendOn[0]:unknown-alert-kind", d => d with { AutoSuspendOn = ["Disparity"] }, "oversight alert kinds" },
        { "autoSuspendOn[1]:duplicate", d => d with { AutoSuspendOn = ["arrest-number-run", "arrest-number-run"] }, "each alert kind once" },
        { "expiresAt:expires-after-effective", d => d with { ExpiresAt = d.EffectiveAt }, "expiresAt must be after effectiveAt" },
        { "timeZone:unknown-time-zone", d => d with { TimeZone = "Mars/Olympus_Mons" }, "IANA time zone" },
    };

    [Theory]
    [MemberData(nameof(Messages))]
    public void Each_broken_rule_is_reported_alone_with_a_message_that_says_what_to_fix(string expected, Func<AgreementDocument, AgreementDocument> breakIt, string says)
    {
        var error = AgreementValidator.Validate(breakIt(Valid)).All.ShouldHaveSingleItem();
        $"{error.Field}:{error.Rule}".ShouldBe(expected);
        error.Message.ShouldContain(says, Case.Sensitive);
    }
}
