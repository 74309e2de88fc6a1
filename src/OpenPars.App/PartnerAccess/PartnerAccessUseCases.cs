using System.Globalization;
using OpenPars.App.Audit;
using OpenPars.App.Identity;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Core.Policy;
using OpenPars.Core.Policy.Checks;
using OpenPars.Storage;
using OpenPars.Storage.Agreements;

namespace OpenPars.App.PartnerAccess;

/// <summary>What a partner disclosed under: the agreement version, its expiry and the fields the answer carries.</summary>
public sealed record PartnerDisclosure(PolicyDecision.Allowed Decision, IReadOnlyList<PartnerRecord> Records);

/// <summary>The partner's agreement in force, as the partner may see it, with today's use of its quotas.</summary>
public sealed record PartnerTerms(AgreementStanding Standing, QuotaUsage UsageToday);

/// <summary>
/// What a partner analyst may see, only under the partner agency's agreement in force. Each request: load the
/// agreement's events (no cache: a termination, suspension or expiry holds on the very next request), count today's
/// usage, decide with <see cref="PartnerPolicy"/>, and on allowance query with the row scope in the WHERE and only the
/// granted columns in the SELECT. Every decision, allowed or refused, is one audit entry (8001 search, 8002 read,
/// 8003 agreement read) with the agreement, purpose, reason, case number, criteria, records and fields disclosed, and
/// for a refusal its code and rule. The same path serves the API, the partner page and (later) watches.
/// </summary>
public sealed class PartnerAccessUseCases(AgreementStore agreements, PartnerAccessLog access, OpenParsDbContext db, ReferenceData reference, TimeProvider clock, AuditScope audit)
{
    private const int MaxAuditedText = 500;
    private const int MaxAuditedCriterionName = 50;
    private const int MaxAuditedCriterionValue = 100;

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
            var disclosure = await DiscloseAsync(caller, PartnerRequest.Read(arrestNumber, statement.Purpose, statement.Reason, statement.CaseNumber), ct);
            return disclosure.Records.Count == 0
                ? throw new DomainException(ErrorCodes.ArrestNotFound, "No arrest with this number is available under your agreement.")
                : disclosure;
        });

    /// <summary>The agreement in force and today's usage: the first four checks of the pipeline only (exists,
    /// effective, not expired, in force).</summary>
    public Task<PartnerTerms> TermsAsync(Caller caller, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.PartnerAgreementRead, async () =>
        {
            Access.Require(caller, Access.PartnerAnalyst);
            var now = clock.GetUtcNow();
            var partner = caller.ToPartnerCaller();
            var (standing, usage) = await StandingAsync(partner, now, ct);
            var policy = new PolicyContext(partner, standing, PartnerRequest.Search(new Dictionary<string, string>(), null, null, null), usage, now, PolicyOptions.Default);
            foreach (var check in PartnerPolicy.Checks.Where(c => c is AgreementExists or AgreementEffective or AgreementNotExpired or AgreementInForce))
            {
                if (check.Check(policy) is { } refused)
                {
                    audit.Trail.Detail("rule", refused.Rule);
                    throw new DomainException(refused.Code, refused.Message);
                }
            }

            audit.Trail.Detail("agreementVersion", standing.Version.ToString(CultureInfo.InvariantCulture));
            return new PartnerTerms(standing, usage);
        });

    private async Task<PartnerDisclosure> DiscloseAsync(Caller caller, PartnerRequest request, CancellationToken ct)
    {
        Access.Require(caller, Access.PartnerAnalyst);
        var now = clock.GetUtcNow();
        var partner = caller.ToPartnerCaller();
        var (standing, usage) = await StandingAsync(partner, now, ct);
        Note("purpose", request.Purpose);
        Note("reason", request.Reason);
        Note("caseNumber", request.CaseNumber);

        var decision = PartnerPolicy.Decide(partner, standing, request, usage, now);
        if (decision is PolicyDecision.Refused refused)
        {
            audit.Trail.Detail("rule", refused.Rule);
            throw new DomainException(refused.Code, refused.Message);
        }

        var allowed = (PolicyDecision.Allowed)decision;
        audit.Trail.Detail("agreementVersion", allowed.AgreementVersion.ToString(CultureInfo.InvariantCulture));
        audit.Trail.Detail("purpose", allowed.Purpose);
        audit.Trail.Detail("disclosedFields", string.Join(",", allowed.DisclosedFields));
        var records = await PartnerArrestQuery.DiscloseAsync(db, allowed, now, reference.Statutes, ct);
        audit.Trail.Touched(records.Select(r => r.ArrestNumber));
        return new PartnerDisclosure(allowed, records);
    }

    private async Task<(AgreementStanding, QuotaUsage)> StandingAsync(PartnerCaller caller, DateTimeOffset now, CancellationToken ct)
    {
        var agreement = await agreements.FindForPartnerAsync(caller.AgencyCode, ct);
        var standing = AgreementStatusCalculator.StatusAt(agreement?.Events ?? [], now);
        audit.Trail.Detail("agreementId", agreement?.AgreementId);
        var usage = standing.Document is { } document
            ? await access.UsageAsync(caller.UserId, caller.AgencyCode, AgreementClock.QuotaDay(document, now), ct)
            : new QuotaUsage(0, 0);
        return (standing, usage);
    }

    private void Note(string name, string? value) => audit.Trail.Detail(name, value is null ? null : Clip(value, MaxAuditedText));

    private static string Clip(string text, int max) => text.Length <= max ? text : text[..max];
}

/// <summary>What a partner states with every request: the purpose, the reason and the case number (the
/// <c>OpenPars-Purpose</c>, <c>OpenPars-Reason</c>, <c>OpenPars-Case-Number</c> headers on the API; null when absent).</summary>
public sealed record PartnerStatement(string? Purpose, string? Reason, string? CaseNumber);
