using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using OpenPars.Core.Agreements;
using OpenPars.Core.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Core.Policy;
using OpenPars.Core.Policy.Checks;
using OpenPars.Storage.Agreements;
using OpenPars.Storage.Audit;
using OpenPars.Web.Audit;
using OpenPars.Web.Security;

namespace OpenPars.Web.Endpoints;

/// <summary>
/// What a partner analyst may see, only under the partner agency's active agreement. Each request: resolve the
/// caller, load the agreement's events (no cache: a termination, suspension or expiry holds on the very next
/// request), count today's usage from the audit log, decide with <see cref="PartnerPolicy"/>, and on allowance
/// query with the row scope in the WHERE and only the granted columns in the SELECT. Every decision, allowed or
/// refused, is one audit entry (8001 search, 8002 read, 8003 agreement read) with the agreement, purpose, reason,
/// case number, criteria, records and fields disclosed, and for a refusal its code and rule.
/// </summary>
public static class PartnerApi
{
    public const string PurposeHeader = "OpenPars-Purpose";
    public const string ReasonHeader = "OpenPars-Reason";
    public const string CaseNumberHeader = "OpenPars-Case-Number";

    private const int MaxAuditedText = 500;

    public static RouteGroupBuilder MapPartnerApi(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/api/v1/partner").WithTags("Partner access");

        group.MapGet("/arrests", Search).RequireAuthorization(Policies.PartnerAnalyst).Audited(AuditEventType.PartnerSearch)
            .WithSummary("Search arrests under your agency's agreement (partner analyst). Headers OpenPars-Purpose, OpenPars-Reason, OpenPars-Case-Number.");
        group.MapGet("/arrests/{arrestNumber}", Read).RequireAuthorization(Policies.PartnerAnalyst).Audited(AuditEventType.PartnerRead)
            .WithSummary("Read one arrest under your agency's agreement (partner analyst). Same headers as the search.");
        group.MapGet("/agreement", Terms).RequireAuthorization(Policies.PartnerAnalyst).Audited(AuditEventType.PartnerAgreementRead)
            .WithSummary("Your agency's active agreement: its terms, expiry and today's usage (partner analyst).");
        return group;
    }

    private static async Task<Ok<JsonObject>> Search(HttpContext context, PartnerGate gate)
    {
        var criteria = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, values) in context.Request.Query)
        {
            criteria[name] = values.ToString();
            gate.Trail.Criterion(Clip(name, 50), Clip(values.ToString(), 100));
        }

        var request = PartnerRequest.Search(criteria, Header(context, PurposeHeader), Header(context, ReasonHeader), Header(context, CaseNumberHeader));
        var (allowed, records) = await gate.DiscloseAsync(context, request);
        var answer = Envelope(allowed);
        answer["records"] = new JsonArray([.. records.Select(r => (JsonNode)r.ToJson())]);
        return TypedResults.Ok(answer);
    }

    private static async Task<Ok<JsonObject>> Read(string arrestNumber, HttpContext context, PartnerGate gate)
    {
        gate.Trail.Criterion(SearchCriteria.ArrestNumber, Clip(arrestNumber, 100));
        var request = PartnerRequest.Read(arrestNumber, Header(context, PurposeHeader), Header(context, ReasonHeader), Header(context, CaseNumberHeader));
        var (allowed, records) = await gate.DiscloseAsync(context, request);
        if (records.Count == 0)
        {
            // Out of scope and nonexistent look the same: a partner learns nothing from a refusal.
            throw new DomainException(ErrorCodes.ArrestNotFound, "No arrest with this number is available under your agreement.");
        }

        var answer = Envelope(allowed);
        answer["record"] = records[0].ToJson();
        return TypedResults.Ok(answer);
    }

    private static async Task<Ok<JsonObject>> Terms(HttpContext context, PartnerGate gate)
    {
        var (standing, usage) = await gate.AgreementInForceAsync(context);
        var document = standing.Document!;
        var answer = new JsonObject
        {
            ["agreement"] = AgreementRef(document.AgreementId, standing.Version, document.ExpiresAt),
            ["status"] = AgreementViews.Status(standing),
            ["terms"] = AgreementViews.Document(document),
            ["usageToday"] = new JsonObject
            {
                ["queries"] = usage.QueriesByUserToday,
                ["queriesPerUserPerDay"] = document.Quotas.QueriesPerUserPerDay,
                ["records"] = usage.RecordsByAgencyToday,
                ["recordsPerAgencyPerDay"] = document.Quotas.RecordsPerAgencyPerDay,
            },
        };
        return TypedResults.Ok(answer);
    }

    private static JsonObject Envelope(PolicyDecision.Allowed allowed) => new()
    {
        ["agreement"] = AgreementRef(allowed.AgreementId, allowed.AgreementVersion, allowed.ExpiresAt),
        ["disclosedFields"] = new JsonArray([.. allowed.DisclosedFields.Select(f => (JsonNode)f)]),
    };

    private static JsonObject AgreementRef(string id, int version, DateTimeOffset expiresAt) => new()
    {
        ["id"] = id,
        ["version"] = version,
        ["expiresAt"] = AgreementViews.Instant(expiresAt),
    };

    private static string? Header(HttpContext context, string name) =>
        context.Request.Headers.TryGetValue(name, out var value) ? value.ToString() : null;

    internal static string Clip(string text, int max) => text.Length <= max ? text : text[..max];

    public static PartnerCaller ToPartnerCaller(this ClaimsPrincipal user)
    {
        var actor = user.ToAgreementActor();
        return new PartnerCaller(actor.UserId, actor.UserName, actor.AgencyCode, actor.AgencyKind);
    }

    /// <summary>The request's pass through the pipeline, and its notes in the audit trail.</summary>
    public sealed class PartnerGate(AgreementStore agreements, PartnerAccessLog access, TimeProvider clock, ReferenceData reference, AuditTrail trail, Storage.OpenParsDbContext db)
    {
        public AuditTrail Trail => trail;

        public async Task<(PolicyDecision.Allowed Allowed, IReadOnlyList<PartnerRecord> Records)> DiscloseAsync(HttpContext context, PartnerRequest request)
        {
            var now = clock.GetUtcNow();
            var caller = context.User.ToPartnerCaller();
            var (standing, usage) = await StandingAsync(caller, now, context.RequestAborted);
            Note("purpose", request.Purpose);
            Note("reason", request.Reason);
            Note("caseNumber", request.CaseNumber);

            var decision = PartnerPolicy.Decide(caller, standing, AgreementStore.Charter.At(now), request, usage, now);
            if (decision is PolicyDecision.Refused refused)
            {
                trail.Detail("rule", refused.Rule);
                throw new DomainException(refused.Code, refused.Message);
            }

            var allowed = (PolicyDecision.Allowed)decision;
            trail.Detail("agreementVersion", allowed.AgreementVersion.ToString(CultureInfo.InvariantCulture));
            trail.Detail("purpose", allowed.Purpose);
            trail.Detail("disclosedFields", string.Join(",", allowed.DisclosedFields));
            var records = await PartnerArrestQuery.DiscloseAsync(db, allowed, now, reference.Statutes, context.RequestAborted);
            trail.Touched(records.Select(r => r.ArrestNumber));
            return (allowed, records);
        }

        /// <summary>The first four steps of the pipeline only (exists, effective, not expired, in force).</summary>
        public async Task<(AgreementStanding Standing, QuotaUsage Usage)> AgreementInForceAsync(HttpContext context)
        {
            var now = clock.GetUtcNow();
            var caller = context.User.ToPartnerCaller();
            var (standing, usage) = await StandingAsync(caller, now, context.RequestAborted);
            var policy = new PolicyContext(caller, standing, PartnerRequest.Search(new Dictionary<string, string>(), null, null, null), usage, now, PolicyOptions.Default);
            foreach (var check in PartnerPolicy.Checks.Where(c => c is AgreementExists or AgreementEffective or AgreementNotExpired or AgreementInForce))
            {
                if (check.Check(policy) is { } refused)
                {
                    trail.Detail("rule", refused.Rule);
                    throw new DomainException(refused.Code, refused.Message);
                }
            }

            trail.Detail("agreementVersion", standing.Version.ToString(CultureInfo.InvariantCulture));
            return (standing, usage);
        }

        private async Task<(AgreementStanding, QuotaUsage)> StandingAsync(PartnerCaller caller, DateTimeOffset now, CancellationToken ct)
        {
            var agreement = await agreements.FindForPartnerAsync(caller.AgencyCode, ct);
            var standing = AgreementStatusCalculator.StatusAt(agreement?.Events ?? [], AgreementStore.Charter.Charters, now);
            trail.Detail("agreementId", agreement?.AgreementId);
            var usage = standing.Document is { } document
                ? await access.UsageAsync(caller.UserId, caller.AgencyCode, AgreementClock.QuotaDay(document, now), ct)
                : new QuotaUsage(0, 0);
            return (standing, usage);
        }

        private void Note(string name, string? value) => trail.Detail(name, value is null ? null : Clip(value, MaxAuditedText));
    }
}
