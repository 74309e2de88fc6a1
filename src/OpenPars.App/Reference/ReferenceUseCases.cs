using OpenPars.App.Arrests;
using OpenPars.App.Audit;
using OpenPars.App.Identity;
using OpenPars.Core.Agencies;
using OpenPars.Core.Arrests;
using OpenPars.Core.Arrests.Reference;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;

namespace OpenPars.App.Reference;

public sealed record StatuteView(string Citation, string Title, OffenseGrade DefaultGrade, string Category);

public sealed record StatuteList(string Jurisdiction, IReadOnlyList<StatuteView> Items);

public sealed record DistrictView(string Code, string Name, string Division);

public sealed record DistrictList(string Jurisdiction, IReadOnlyList<DistrictView> Items);

/// <summary>The jurisdiction's statutes and districts, for the desks' pickers. They hold nothing about a person, so
/// only refusals are audited.</summary>
public sealed class ReferenceUseCases(ReferenceData reference, AuditScope audit)
{
    public Task<StatuteList> StatutesAsync(Caller caller, string? q, string? limit) =>
        audit.RefusalsOnlyAsync(caller, AuditEventType.StatutesRead, () =>
        {
            Access.Require(caller, Access.Anyone);
            var errors = new ValidationErrors();
            var text = q ?? "";
            errors.Require(text.Length <= 100, "q", "text-length", "q must be at most 100 characters.");
            var size = RequestParsing.Limit(limit, errors);
            RequestParsing.ThrowIfAny(errors);
            return new StatuteList(reference.Statutes.Jurisdiction,
                reference.Statutes.Search(text, size).Select(s => new StatuteView(s.Citation, s.Title, s.DefaultGrade, s.Category)).ToList());
        });

    public Task<DistrictList> DistrictsAsync(Caller caller) =>
        audit.RefusalsOnlyAsync(caller, AuditEventType.DistrictsRead, () =>
            new DistrictList(reference.Districts.Jurisdiction, reference.Districts.All.Select(d => new DistrictView(d.Code, d.Name, d.Division)).ToList()));
}
