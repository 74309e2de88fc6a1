using OpenPars.Core.Agreements;
using OpenPars.Core.Arrests;
using OpenPars.Core.Arrests.Reference;
using OpenPars.Core.Policy;
using Shouldly;
using Xunit;

namespace OpenPars.Core.Tests.Policy;

public class PartnerViewTests
{
    private static readonly DateTimeOffset Now = new(2026, 6, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Projection_holds_only_the_granted_fields_masked()
    {
        var grants = TestAgreements().Grants();
        var statutes = StatuteCatalog.LoadDefault();
        var record = PartnerView.Project(TestArrests.Record(), grants, statutes);

        // The charge's description is the statute's title from the statute data, never the typed "Simple assault"
        // (issue 9: free text never reaches a partner; it changed from the typed text on purpose).
        statutes.TryFind("18 § 2701(a)(1)", out var statute).ShouldBeTrue();
        record.Fields.Keys.ShouldBe(grants.Select(g => g.Field), ignoreOrder: true);
        var json = record.ToJson().ToJsonString();
        var title = System.Text.Json.JsonSerializer.Serialize(statute!.Title);
        json.ShouldBe(("""{"arrestNumber":"26-000001","charges":[{"citation":"18 § 2701(a)(1)","description":""" + title + ""","grade":"F2","counts":1}],"person":{"dateOfBirth":"1987","firstName":"J.","lastName":"Doe","ssn":"***-**-6789"}}""").Replace("§", "\\u00A7", StringComparison.Ordinal));
        PartnerView.Project(TestArrests.Record(), grants).ToJson()["charges"]![0]!["description"].ShouldBeNull();
    }

    [Fact]
    public void Every_catalogue_field_projects_and_nothing_protected_ever_appears()
    {
        var all = DisclosableFields.All.Select(f => new FieldGrant(f.Name, f.Masks[0])).ToList();
        var json = PartnerView.Project(TestArrests.Record(), all).ToJson().ToJsonString();

        foreach (var marker in new[] { TestArrests.VictimMarker, TestArrests.WitnessMarker, TestArrests.NarrativeMarker, TestArrests.BirthplaceMarker })
        {
            json.ShouldNotContain(marker);
        }

        json.ShouldNotContain("hispanic", Case.Insensitive);
        json.ShouldContain("\"bailType\":\"monetary\"");
        json.ShouldContain("\"status\":\"charged\"");
    }

    [Fact]
    public void Disclose_returns_nothing_at_or_after_expiry()
    {
        var decision = Allowed();
        PartnerView.Disclose(decision, [TestArrests.Record()], decision.ExpiresAt.AddSeconds(-1)).Count.ShouldBe(1);
        PartnerView.Disclose(decision, [TestArrests.Record()], decision.ExpiresAt).ShouldBeEmpty();
    }

    [Fact]
    public void Disclose_applies_scope_the_read_target_and_the_record_cap()
    {
        var inScope = TestArrests.Record("26-1");
        var misdemeanour = TestArrests.Record("26-2", grade: OffenseGrade.M1);
        var old = TestArrests.Record("26-3", bookedAt: Now.AddDays(-366));
        var minor = TestArrests.Record("26-4", dateOfBirth: new DateOnly(2010, 1, 1));
        var decision = Allowed();

        PartnerView.Disclose(decision, [inScope, misdemeanour, old, minor], Now).Select(r => r.ArrestNumber).ShouldBe(["26-1"]);
        PartnerView.Disclose(decision with { MaxRecords = 1 }, [inScope, TestArrests.Record("26-5")], Now).Count.ShouldBe(1);
        PartnerView.Disclose(decision with { ArrestNumber = "26-5" }, [inScope, TestArrests.Record("26-5")], Now)
            .ShouldHaveSingleItem().ArrestNumber.ShouldBe("26-5");
    }

    [Fact]
    public void Row_scope_edges()
    {
        var scope = new RowScope { BookedWithinDays = 10 };
        RowScopeRules.InScope(TestArrests.Record(bookedAt: Now.AddDays(-10)), scope, Now).ShouldBeTrue();
        RowScopeRules.InScope(TestArrests.Record(bookedAt: Now.AddDays(-10).AddSeconds(-1)), scope, Now).ShouldBeFalse();

        var booked = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);
        RowScopeRules.InScope(TestArrests.Record(bookedAt: booked, dateOfBirth: new DateOnly(2008, 3, 1)), new RowScope(), Now).ShouldBeTrue();
        RowScopeRules.InScope(TestArrests.Record(bookedAt: booked, dateOfBirth: new DateOnly(2008, 3, 2)), new RowScope(), Now).ShouldBeFalse();
        RowScopeRules.InScope(TestArrests.Record(bookedAt: booked, dateOfBirth: new DateOnly(2008, 3, 2)), new RowScope { AdultsOnly = false }, Now).ShouldBeTrue();
        RowScopeRules.InScope(TestArrests.Record() with { Person = new Person() }, new RowScope(), Now).ShouldBeFalse();

        RowScopeRules.InScope(TestArrests.Record(grade: null), new RowScope { ChargeGrades = [OffenseGrade.Ungraded] }, Now).ShouldBeTrue();
        RowScopeRules.InScope(TestArrests.Record(), new RowScope { Statuses = [ArrestStatus.Arraigned] }, Now).ShouldBeFalse();
        RowScopeRules.InScope(TestArrests.Record(), new RowScope { Districts = ["02"] }, Now).ShouldBeFalse();
        RowScopeRules.InScope(TestArrests.Record(), new RowScope { Statuses = [] }, Now).ShouldBeFalse();

        var assault = new RowScope { OffenseCategories = ["assault"] };
        RowScopeRules.InScope(TestArrests.Record(), assault, Now).ShouldBeFalse(); // categories unresolvable: fail closed
        RowScopeRules.InScope(TestArrests.Record(), assault, Now, StatuteCatalog.LoadDefault()).ShouldBeTrue();
        RowScopeRules.InScope(TestArrests.Record(), new RowScope { OffenseCategories = ["fraud"] }, Now, StatuteCatalog.LoadDefault()).ShouldBeFalse();
    }

    private static AgreementDocument TestAgreements() => Tests.Agreements.TestAgreements.Document();

    private static PolicyDecision.Allowed Allowed()
    {
        var document = TestAgreements();
        return new PolicyDecision.Allowed
        {
            AgreementId = document.AgreementId,
            AgreementVersion = 1,
            ExpiresAt = document.ExpiresAt,
            Operation = PartnerOperation.Search,
            Purpose = "criminal-investigation",
            Scope = document.RowScope,
            Columns = document.Grants(),
            DisclosedFields = [.. document.Grants().Select(g => g.Field)],
            Criteria = new Dictionary<string, string>(),
            MaxRecords = 10,
        };
    }
}
