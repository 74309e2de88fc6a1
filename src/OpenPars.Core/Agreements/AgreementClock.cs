using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace OpenPars.Core.Agreements;

/// <summary>The agreement's calendar: its IANA zone, for quota days and for printing instants to people.
/// Instants are compared as instants everywhere else; the zone never moves an expiry.</summary>
public static class AgreementClock
{
    public static bool TryFindZone(string? id, [NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        zone = null;
        if (string.IsNullOrWhiteSpace(id))
        {
            return false;
        }

        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(id);
            return true;
        }
        catch (TimeZoneNotFoundException)
        {
            return false;
        }
        catch (InvalidTimeZoneException)
        {
            return false;
        }
    }

    /// <summary>The zone of a document, falling back to America/New_York, then UTC, if the machine lacks it.</summary>
    public static TimeZoneInfo ZoneOf(AgreementDocument document) =>
        TryFindZone(document.TimeZone, out var zone) || TryFindZone(AgreementDocument.DefaultTimeZone, out zone) ? zone : TimeZoneInfo.Utc;

    /// <summary>e.g. <c>2026-12-31 23:59:59 -05:00 (America/New_York)</c>.</summary>
    public static string Format(DateTimeOffset instant, TimeZoneInfo zone) =>
        string.Create(CultureInfo.InvariantCulture, $"{TimeZoneInfo.ConvertTime(instant, zone):yyyy-MM-dd HH:mm:ss zzz} ({zone.Id})");

    /// <summary>The calendar day (in the agreement's zone) that contains <paramref name="now"/>, as instants
    /// [start, end): storage counts today's queries and records inside it for <see cref="Policy.QuotaUsage"/>.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End) QuotaDay(AgreementDocument document, DateTimeOffset now)
    {
        var zone = ZoneOf(document);
        var local = TimeZoneInfo.ConvertTime(now, zone);
        var start = StartOfDay(DateOnly.FromDateTime(local.DateTime), zone);
        var end = StartOfDay(DateOnly.FromDateTime(local.DateTime).AddDays(1), zone);
        return (start, end);
    }

    private static DateTimeOffset StartOfDay(DateOnly day, TimeZoneInfo zone)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);

        // Where midnight does not exist (a DST jump at 00:00), the day starts at the first valid minute.
        while (zone.IsInvalidTime(midnight))
        {
            midnight = midnight.AddMinutes(1);
        }

        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight)).ToUniversalTime();
    }
}
