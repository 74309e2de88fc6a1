using OpenPars.App.Hosting;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agreements;
using OpenPars.Core.Policy;
using OpenPars.Storage.Agreements;
using OpenPars.Testing;
using Shouldly;
using Xunit;

namespace OpenPars.Storage.Tests.Agreements;

/// <summary>Issue 9, "Free text never reaches a partner": a charge's typed description can hold a victim's name
/// and telephone number; the partner gets the statute's title from the statute data, and the partner SQL never
/// reads the typed text.</summary>
public sealed class PartnerChargeTextTests
{
    private const string VictimName = "Maribel Quintero-Adeyemi";
    private const string VictimPhone = "215-555-0147";

    [Theory, AllProviders]
    public async Task A_partner_gets_the_statute_title_never_the_typed_description(StorageProvider provider)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var db = await TestDatabase.CreateAsync(provider, ct);
        var statute = db.Reference.Statutes.All[0];
        var typed = $"Punched {VictimName} (call her at {VictimPhone}) outside her home";
        var booked = await db.Arrests().BookAsync(
            new ArrestBuilder(db.Reference).WithCharge(statute.Citation, description: typed).Build(), TestActors.BookingOfficer, null, ct);
        booked.Record.Charges.ShouldContain(c => c.Description == typed); // stakeholders keep what was typed

        var now = db.Clock.GetUtcNow();
        var decision = new PolicyDecision.Allowed
        {
            AgreementId = "test-2026",
            AgreementVersion = 1,
            ExpiresAt = now.AddDays(30),
            Operation = PartnerOperation.Read,
            Purpose = "criminal-investigation",
            Scope = new RowScope { AdultsOnly = false },
            Columns = [new FieldGrant(DisclosableFields.ArrestNumber, FieldMask.Full), new FieldGrant(DisclosableFields.Charges, FieldMask.Full)],
            DisclosedFields = [DisclosableFields.ArrestNumber, DisclosableFields.Charges],
            Criteria = new Dictionary<string, string>(),
            ArrestNumber = booked.Record.ArrestNumber,
            MaxRecords = 10,
        };

        var records = await PartnerArrestQuery.DiscloseAsync(db.NewContext(), decision, now, db.Reference.Statutes, ct);

        var json = records.ShouldHaveSingleItem().ToJson().ToJsonString();
        json.ShouldNotContain(VictimName);
        json.ShouldNotContain(VictimPhone);
        json.ShouldNotContain("Punched");
        var charges = records[0].ToJson()["charges"]!.AsArray();
        charges.Select(c => c!["description"]!.GetValue<string>()).ShouldContain(statute.Title);
        PartnerArrestQuery.Build(db.NewContext(), decision, db.Reference.Statutes).ToQueryString().ShouldNotContain("description", Case.Insensitive);
    }
}
