using OpenPars.App.Arrests;
using OpenPars.App.Audit;
using OpenPars.App.Hosting;
using OpenPars.App.Identity;
using OpenPars.Core.Agencies;
using OpenPars.Core.Arraignment;
using OpenPars.Core.Arrests;
using OpenPars.Core.Audit;
using OpenPars.Core.Common;
using OpenPars.Storage.Arrests;

namespace OpenPars.App.Arraignment;

/// <summary>One day's arraignment list in the city's calendar: charged and waiting, then arraigned that day.</summary>
public sealed record ArraignmentListResponse(DateOnly Date, IReadOnlyList<ArrestSummary> Waiting, IReadOnlyList<ArrestSummary> Arraigned);

/// <summary>The arraignment court: the day's list and the record of each preliminary arraignment.</summary>
public sealed class ArraignmentUseCases(ArrestStore store, CityClock city, AuditScope audit)
{
    /// <summary>The earliest and latest dates a list can be asked for: a day whose bounds are representable instants.</summary>
    public static readonly DateOnly FirstListDate = new(1900, 1, 1);
    public static readonly DateOnly LastListDate = new(9998, 12, 31);

    /// <summary>The list for <paramref name="date"/> (yyyy-MM-dd in the city's zone; default today).</summary>
    public Task<ArraignmentListResponse> ListAsync(Caller caller, string? date, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.ArraignmentListRead, async () =>
        {
            Access.Require(caller, Access.Magistrate);
            var day = ListDate(city, date);
            var (start, end) = city.DayBounds(day);
            var list = await store.ArraignmentListAsync(start, end, ct);
            return new ArraignmentListResponse(day, list.Waiting, list.Arraigned);
        });

    /// <summary>The list's day from the <c>date</c> parameter (yyyy-MM-dd; default today), for the list and its stream alike.</summary>
    public static DateOnly ListDate(CityClock city, string? date)
    {
        ArgumentNullException.ThrowIfNull(city);
        var errors = new ValidationErrors();
        var day = RequestParsing.Date(date, "date", errors) ?? city.Today();
        errors.Require(day >= FirstListDate && day <= LastListDate, "date", "date-range", $"date must be from {FirstListDate:yyyy-MM-dd} to {LastListDate:yyyy-MM-dd}.");
        RequestParsing.ThrowIfAny(errors);
        return day;
    }

    public Task<ArrestRecord> RecordAsync(Caller caller, string arrestNumber, ArraignmentRecord record, CancellationToken ct = default) =>
        audit.WriteAsync(caller, AuditEventType.ArraignmentRecorded, () =>
        {
            audit.Requested(arrestNumber);
            Access.Require(caller, Access.Magistrate);
            return store.RecordArraignmentAsync(arrestNumber, record, caller.ToActor(), ct);
        });
}
