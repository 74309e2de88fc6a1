using System.Globalization;
using OpenPars.App.Audit;
using OpenPars.App.Identity;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Core.Common;
using OpenPars.Core.Policy;
using OpenPars.Core.Policy.Checks;
using OpenPars.Storage;
using OpenPars.Storage.Agreements;
using OpenPars.Core.Charter;

namespace OpenPars.App.PartnerAccess;

/// <summary>What a partner disclosed under: the agreement version, its expiry and the fields the answer carries.</summary>
public sealed record PartnerDisclosure(PolicyDecision.Allowed Decision, IReadOnlyList<PartnerRecord> Records);

/// <summary>The partner's agreement in force, as the partner may see it, with today's use of its quotas.</summary>
public sealed record PartnerTerms(AgreementStanding Standing, QuotaUsage UsageToday);

/// <summary>
/// What a partner analyst may see, only under the partner agency's agreement in force (never a draft or proposal
/// naming it). Each request: take the partner's agreements' verified events at the agreement generation committed
/// now (<see cref="AgreementCache"/>: a termination, suspension or vote holds on the very next request in every
/// process; status, expiry and notice are derived from the clock at each request), read today's committed usage, decide with <see cref="PartnerPolicy"/>, and on
/// allowance reserve the quota (<see cref="PartnerAccessLog.ReserveAsync"/>), query with the row scope in the WHERE,
/// only the granted columns in the SELECT and at most the record headroom, and commit the reservation with the
/// allowed entry in one transaction. Every decision, allowed or refused, is one audit entry (8001 search, 8002 read,
/// 8003 agreement read) with the agreement, purpose, reason, case number, criteria, records and fields disclosed, and
/// for a refusal its code and rule. The same path serves the API, the partner page and (later) watches.
/// </summary>
public sealed class PartnerAccessUseCases(AgreementStore agreements, PartnerAccessLog access, ReferenceData reference, TimeProvider clock, AuditScope audit)
{
    private const int MaxAuditedText = 500;
    private const int MaxAuditedCriterionName = 50;
    private const int MaxAuditedCriterionValue = 100;

    // What this call's entry says (PartnerAccessV1), learnt step by step: the agreement, the statement, the outcome.
    private PartnerAccessV1 _audited = new();

    /// <summary>A search; <paramref name="criteria"/> are the query's names and values as sent.</summary>
    public Task<PartnerDisclosure> SearchAsync(Caller caller, IReadOnlyDictionary<string, string> criteria, PartnerStatement statement, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.PartnerSearch, () =>
        {
            foreach (var (name, value) in criteria)
            {
                audit.Trail.Criterion(Clip(name, MaxAuditedCriterionName), Clip(value, MaxAuditedCriterionValue));
                if (string.Equals(name, SearchCriteria.ArrestNumber, StringComparison.OrdinalIgnoreCase) && value.Length > 0)
                {
                    audit.Requested(Clip(value, MaxAuditedCriterionValue));
                }
            }

            return DiscloseAsync(caller, PartnerRequest.Search(criteria, statement.Purpose, statement.Reason, statement.CaseNumber), ct);
        });

    /// <summary>One arrest by number. Out of scope and nonexistent look the same: a partner learns nothing from a refusal.</summary>
    public Task<PartnerDisclosure> ReadAsync(Caller caller, string arrestNumber, PartnerStatement statement, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.PartnerRead, async () =>
        {
            audit.Trail.Criterion(SearchCriteria.ArrestNumber, Clip(arrestNumber, MaxAuditedCriterionValue));
            audit.Requested(Clip(arrestNumber, MaxAuditedCriterionValue));
            return await DiscloseAsync(caller, PartnerRequest.Read(arrestNumber, statement.Purpose, statement.Reason, statement.CaseNumber), ct);
        });

    /// <summary>The agreement in force and today's usage: the first four checks of the pipeline only (exists,
    /// effective, not expired, in force).</summary>
    public Task<PartnerTerms> TermsAsync(Caller caller, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.PartnerAgreementRead, async () =>
        {
            Access.Require(caller, Access.PartnerAnalyst);
            var now = clock.GetUtcNow();
            var (partner, standing, usage, _, _) = await StandingAsync(caller, now, ct);
            var policy = new PolicyContext(partner, standing, PartnerRequest.Search(new Dictionary<string, string>(), null, null, null), usage, now, PolicyOptions.Default);
            foreach (var check in PartnerPolicy.Checks.Where(c => c is AgreementExists or AgreementEffective or AgreementNotExpired or AgreementInForce))
            {
                if (check.Check(policy) is { } refused)
                {
                    throw Refusal(refused);
                }
            }

            Note(a => a with { AgreementVersion = standing.Version });
            return new PartnerTerms(standing, usage);
        });

    private async Task<PartnerDisclosure> DiscloseAsync(Caller caller, PartnerRequest request, CancellationToken ct)
    {
        Access.Require(caller, Access.PartnerAnalyst);
        var now = clock.GetUtcNow();
        var (partner, standing, usage, quota, governing) = await StandingAsync(caller, now, ct);
        Note(a => a with { Purpose = Clipped(request.Purpose), Reason = Clipped(request.Reason), CaseNumber = Clipped(request.CaseNumber) });

        // The committed usage refuses early and cheaply; the reservation below is the check that holds.
        var decision = PartnerPolicy.Decide(partner, standing, governing.At(now), request, usage, now);
        if (decision is PolicyDecision.Refused refused)
        {
            throw Refusal(refused);
        }

        // Reserve before querying: the query counter +1 and the agency's record counter locked, in the transaction
        // that appends this decision's entry. Disposed uncommitted (a refusal below, a failed query) it leaves nothing.
        await using var reservation = await access.ReserveAsync(quota!, ct);
        if (new WithinQuota().Check(new PolicyContext(partner, standing, request, reservation.Usage, now, PolicyOptions.Default)) is { } exceeded)
        {
            throw Refusal(exceeded);
        }

        var allowed = (PolicyDecision.Allowed)decision;
        var records = await reservation.DiscloseAsync(allowed, standing.Document!.Quotas.RecordsPerAgencyPerDay, now, reference.Statutes, ct);
        if (allowed.Operation == PartnerOperation.Read && records.Count == 0)
        {
            throw new DomainException(ErrorCodes.ArrestNotFound, "No arrest with this number is available under your agreement.");
        }

        Note(a => a with { AgreementVersion = allowed.AgreementVersion, Purpose = allowed.Purpose, DisclosedFields = [.. allowed.DisclosedFields] });
        await reservation.CommitAsync(audit.Trail.EventType!.Value, [.. records.Select(r => r.ArrestNumber)], ct);
        return new PartnerDisclosure(allowed, records);
    }

    private DomainException Refusal(PolicyDecision.Refused refused)
    {
        Note(a => a with { Rule = refused.Rule });
        return new DomainException(refused.Code, refused.Message);
    }

    /// <summary>The partner as the decision sees it (with its agency's stored kind), the agreement in force now
    /// (<see cref="PartnerAgreements.ForDecision"/>), its standing, the committed usage of its quotas today, whose
    /// quota this request uses, and what governs it: the stored charters (verified) and that kind.</summary>
    private async Task<(Caller, AgreementStanding, QuotaUsage, QuotaKey?, GoverningCharter)> StandingAsync(Caller caller, DateTimeOffset now, CancellationToken ct)
    {
        var (agreement, governing) = await agreements.ForPartnerDecisionAsync(caller.AgencyCode, now, ct);
        var partner = caller with { PartnerKind = governing.PartnerKind };
        var standing = AgreementStatusCalculator.StatusAt(agreement?.Events ?? [], governing.Charters, now);
        Note(a => a with { AgreementId = agreement?.AgreementId });
        if (standing.Document is not { } document)
        {
            return (partner, standing, QuotaUsage.None, null, governing);
        }

        var quota = QuotaKey.For(document, now, partner.UserId, partner.AgencyCode);
        return (partner, standing, await access.UsageAsync(quota, ct), quota, governing);
    }

    private void Note(Func<PartnerAccessV1, PartnerAccessV1> change)
    {
        _audited = change(_audited);
        audit.Trail.Payload(_audited);
    }

    private static string? Clipped(string? text) => text is null ? null : Clip(text, MaxAuditedText);

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];
}

/// <summary>What a partner states with every request: the purpose, the reason and the case number (the
/// <c>OpenPars-Purpose</c>, <c>OpenPars-Reason</c>, <c>OpenPars-Case-Number</c> headers on the API; null when absent).</summary>
public sealed record PartnerStatement(string? Purpose, string? Reason, string? CaseNumber);
