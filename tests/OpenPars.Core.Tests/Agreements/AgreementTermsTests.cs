using OpenPars.Core.Agreements;
using Shouldly;
using Xunit;
using static OpenPars.Core.Tests.Agreements.TestAgreements;

namespace OpenPars.Core.Tests.Agreements;

/// <summary>The terms in plain words (what the agreements desk and the partner read), the difference between two
/// versions term by term, and when the status next changes by the clock alone.</summary>
public class AgreementTermsTests
{
    private static readonly TimeSpan Second = TimeSpan.FromSeconds(1);

    [Fact]
    public void Every_grant_and_limit_is_a_term_in_words_with_instants_in_the_agreements_zone()
    {
        var terms = AgreementTerms.Describe(Document()).ToDictionary(t => t.Key, t => t.Text);

        terms["operations"].ShouldBe("search, read one arrest by number");
        terms["field:person.ssn"].ShouldBe("last four digits only");
        terms["field:person.dateOfBirth"].ShouldBe("year only");
        terms["field:person.firstName"].ShouldBe("initial only");
        terms.ShouldNotContainKey("field:person.address");
        terms["scope:grades"].ShouldBe("F1, F2, F3");
        terms["scope:booked-within"].ShouldBe("the last 365 days");
        terms["scope:adults"].ShouldStartWith("adults only");
        terms["quota:queries"].ShouldBe("50");
        terms["quota:records"].ShouldBe("500");
        terms.ShouldNotContainKey("quota:watches");
        terms["blocked-terms"].ShouldBe("sweep");
        terms["effective"].ShouldBe("2026-01-01 00:00 (UTC−05:00)");
        terms["expires"].ShouldBe("2026-12-31 23:59 (UTC−05:00)");
    }

    [Fact]
    public void A_field_name_outside_the_catalogue_is_said_to_be_never_disclosed()
    {
        var document = Document() with { Fields = new() { ["person.placeOfBirth"] = FieldMask.Full } };
        AgreementTerms.Describe(document).Single(t => t.Key == "field:person.placeOfBirth").Text.ShouldStartWith("never disclosed");
    }

    [Fact]
    public void The_difference_names_each_term_added_removed_and_changed_and_nothing_else()
    {
        var older = Document();
        var fields = new Dictionary<string, FieldMask>(older.Fields) { ["person.ssn"] = FieldMask.Full, ["district"] = FieldMask.Full };
        fields.Remove("person.firstName");
        var newer = older with
        {
            Version = 2,
            Fields = fields,
            Quotas = older.Quotas with { RecordsPerAgencyPerDay = 250 },
            ExpiresAt = older.ExpiresAt.AddYears(1),
        };

        var changes = AgreementTerms.Difference(older, newer);

        changes.Select(c => (c.Kind, c.Key)).ShouldBe(
        [
            (TermChangeKind.Added, "field:district"),
            (TermChangeKind.Changed, "field:person.ssn"),
            (TermChangeKind.Changed, "quota:records"),
            (TermChangeKind.Changed, "expires"),
            (TermChangeKind.Removed, "field:person.firstName"),
        ]);
        var ssn = changes.Single(c => c.Key == "field:person.ssn");
        (ssn.Before, ssn.After).ShouldBe(("last four digits only", "shown in full"));
        changes.Single(c => c.Kind == TermChangeKind.Removed).After.ShouldBeNull();
        AgreementTerms.Difference(older, older with { }).ShouldBeEmpty();
    }

    [Fact]
    public void An_approved_version_next_changes_when_it_enters_into_force_and_then_when_it_expires_to_the_second()
    {
        var script = Approved();

        AgreementTerms.NextChange(script.Events, script.StatusAt, EffectiveAt - Second).ShouldBe((EffectiveAt, AgreementStatus.Active));
        AgreementTerms.NextChange(script.Events, script.StatusAt, EffectiveAt).ShouldBe((ExpiresAt, AgreementStatus.Expired));
        AgreementTerms.NextChange(script.Events, script.StatusAt, ExpiresAt - Second).ShouldBe((ExpiresAt, AgreementStatus.Expired));
        AgreementTerms.NextChange(script.Events, script.StatusAt, ExpiresAt).ShouldBeNull();
    }

    [Fact]
    public void A_withdrawal_with_notice_is_the_next_change_once_its_quorum_is_there_and_a_proposal_waits_for_votes()
    {
        var script = Approved();
        var cast = EffectiveAt.AddDays(10);
        var notice = EffectiveAt.AddDays(40);
        script.Vote(Police, 1, VoteKind.Withdraw, cast, notice);
        AgreementTerms.NextChange(script.Events, script.StatusAt, cast).ShouldBe((ExpiresAt, AgreementStatus.Expired));

        script.Vote(Courts, 1, VoteKind.Withdraw, cast, notice);
        AgreementTerms.NextChange(script.Events, script.StatusAt, cast).ShouldBe((notice, AgreementStatus.Terminated));

        var proposed = new AgreementScript().Draft(Document(), EffectiveAt.AddDays(-30)).Propose(1, EffectiveAt.AddDays(-30));
        AgreementTerms.NextChange(proposed.Events, proposed.StatusAt, EffectiveAt.AddDays(-1)).ShouldBeNull();
    }
}
