using System.Globalization;
using System.Text.Json;
using OpenPars.App.Arrests;
using OpenPars.App.Hosting;
using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Common;
using OpenPars.Core.Transparency;
using OpenPars.Storage.Agencies;
using OpenPars.Storage.Agreements;
using OpenPars.Storage.Oversight;

namespace OpenPars.App.Transparency;

/// <summary>
/// The public's view (issue 11, Public transparency): per partner and month, the agreement's status, terms and votes,
/// and counts of requests, refusals by rule, records disclosed, alerts and suspensions, every count table small-cell
/// suppressed (<see cref="TransparencyReports"/>). Counts come only from looks the log proves
/// (<see cref="PartnerLookReader"/>) and from alert and agreement events the log vouches for. Anonymous; it names no
/// person, arrest number or user, so it reads nobody's data and is not itself an audit entry.
/// </summary>
public sealed class TransparencyUseCases(PartnerLookReader looks, OversightAlertStore alerts, AgreementStore agreements, IdentityStore identity, CityClock city, TimeProvider clock)
{
    public async Task<TransparencyMonth> MonthAsync(string? month, CancellationToken ct = default)
    {
        var errors = new ValidationErrors();
        var first = ParseMonth(month, errors) ?? new DateOnly(city.Today().Year, city.Today().Month, 1);
        RequestParsing.ThrowIfAny(errors);
        var (start, _) = city.DayBounds(first);
        var (end, _) = city.DayBounds(first.AddMonths(1));
        var now = clock.GetUtcNow();
        var asOf = end < now ? end : now;
        var label = first.ToString("yyyy-MM", CultureInfo.InvariantCulture);

        var partnerCodes = (await identity.ListAgenciesAsync(ct)).Where(a => a.Kind == AgencyKind.Partner).Select(a => a.Code).ToHashSet(StringComparer.Ordinal);
        var read = await looks.ReadAsync(null, start, end, ct);
        var observations = read.Observations.Where(o => partnerCodes.Contains(o.AgencyCode)).ToList();
        var raised = (await alerts.ListAsync(null, ct)).Where(a => a.Raised.RecordedAt >= start && a.Raised.RecordedAt < end).ToList();
        var stored = (await agreements.ListAsync(ct)).Where(a => partnerCodes.Contains(a.PartnerAgency)).ToList();

        var partners = observations.Select(o => o.AgencyCode).Concat(stored.Select(a => a.PartnerAgency)).Concat(raised.Select(a => a.Raised.Agency))
            .Where(partnerCodes.Contains).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)
            .Select(agency =>
            {
                var mine = observations.Where(o => o.AgencyCode == agency).ToList();
                return new PartnerMonth(
                    agency,
                    mine.Count(o => o.Allowed),
                    mine.Where(o => !o.Allowed).GroupBy(o => o.RefusalCode ?? "unknown", StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal),
                    mine.Where(o => o.Allowed && o.Operation == PartnerOperation.Search).Sum(o => (long)o.ResultCount),
                    mine.Where(o => o.Allowed && o.Operation == PartnerOperation.Read).Sum(o => (long)o.ResultCount),
                    raised.Where(a => a.Raised.Agency == agency).GroupBy(a => a.Raised.Kind, StringComparer.Ordinal).ToDictionary(g => g.Key, g => (long)g.Count(), StringComparer.Ordinal),
                    stored.Where(a => a.PartnerAgency == agency).Sum(a => (long)a.Events.OfType<AgreementSuspended>().Count(s => s.RecordedAt >= start && s.RecordedAt < end)));
            }).ToList();

        var publicAgreements = stored.Where(a => a.CreatedAt < end).Select(a =>
        {
            var standing = a.StatusAt(asOf);
            var document = standing.Document ?? a.Events.OfType<AgreementDrafted>().Where(d => d.RecordedAt < end).LastOrDefault()?.Document;
            return new PublicAgreement(a.AgreementId, a.PartnerAgency, JsonNamingPolicy.CamelCase.ConvertName(standing.Status.ToString()), document?.Version, document?.Title,
                document is null ? [] : TransparencyReports.Terms(document, a.Governing.At(asOf).Quorum),
                [.. a.Events.OfType<AgreementVoteCast>().Where(v => v.RecordedAt < end)
                    .Select(v => new PublicVote(v.Actor.AgencyCode, v.Version, JsonNamingPolicy.CamelCase.ConvertName(v.Kind.ToString()), v.Statement, v.RecordedAt))]);
        }).ToList();

        return TransparencyReports.Build(label, read.ProvenThrough, partners, publicAgreements);
    }

    private static DateOnly? ParseMonth(string? text, ValidationErrors errors)
    {
        if (text is null)
        {
            return null;
        }

        if (!DateOnly.TryParseExact(text + "-01", "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var first) || text.Length != 7)
        {
            errors.Add("month", "month-format", "month must be a month written yyyy-MM, e.g. 2026-11.");
            return null;
        }

        // The month's bounds are computed in the city's zone and its next month's start is needed: the calendar's
        // ends (0001-01, 9999-12) would overflow, so the report is for months of this era only.
        if (first < EarliestMonth || first > LatestMonth)
        {
            errors.Add("month", "month-range", "month must be between 1970-01 and 9998-12.");
            return null;
        }

        return first;
    }

    private static readonly DateOnly EarliestMonth = new(1970, 1, 1);
    private static readonly DateOnly LatestMonth = new(9998, 12, 1);
}
