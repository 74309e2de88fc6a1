using OpenPars.Core.Agreements;
using OpenPars.Core.Charter;
using OpenPars.Core.Tests.Agreements;

namespace OpenPars.Core.Tests.Charter;

/// <summary>Charters for tests: the shipped Philadelphia charter, and variants that differ in one dimension, so a
/// test can tell the charter's rule from a hard-coded one (issue 15: "quorums that differ").</summary>
public static class TestCharters
{
    public static CharterDocument Philadelphia => CharterJson.LoadDefault();

    /// <summary>Philadelphia with another quorum (e.g. 2 of 3 to enter).</summary>
    public static CharterDocument WithQuorum(int enter, int renew, int resume, int end) => Philadelphia with
    {
        Quorum = new CharterQuorum { ConsentsToEnter = enter, ConsentsToRenew = renew, ConsentsToResume = resume, WithdrawalsToEnd = end },
    };

    /// <summary>A charter that asks for no safeguard, limits no mask and has no partner rule: what the pipeline's
    /// older tests need to exercise documents that the Philadelphia charter would refuse.</summary>
    public static CharterDocument Permissive => Philadelphia with
    {
        CharterId = "permissive",
        LongestTerm = new CharterTerm { Months = CharterValidator.MaxLongestTermMonths },
        Safeguards = new CharterSafeguards { ReasonRequired = false, CaseNumberRequired = false, AdultsOnly = false, MinReasonLength = 1 },
        PartnerRules = [],
        Packs = [],
    };

    /// <summary>Philadelphia including the three shipped packs.</summary>
    public static CharterDocument WithAllPacks => CharterJson.Parse(
        File.ReadAllText(TestAgreements.RepoPath("data", "charters", "philadelphia.json"))
            .Replace("\"packs\": []", "\"packs\": [\"california-sb54\", \"illinois-trust\", \"washington-kww\"]", StringComparison.Ordinal));

    public static GoverningCharter Governing(this CharterDocument charter, string? partnerKind = null) => new(CharterTimeline.Of(charter), partnerKind);

    /// <summary>A document within <see cref="Philadelphia"/> for a partner of any kind.</summary>
    public static AgreementDocument FittingDocument => TestAgreements.Document();
}
