using OpenPars.Core.Arrests;

namespace OpenPars.Storage.Arrests;

/// <summary>Stakeholder search. Names match by case-insensitive prefix; newest bookings first, keyset-paged.</summary>
public sealed record ArrestQuery
{
    public const int MaxLimit = 200;

    public string? LastName { get; init; }
    public string? FirstName { get; init; }
    public DateOnly? DateOfBirth { get; init; }
    public DateTimeOffset? From { get; init; }
    public DateTimeOffset? To { get; init; }
    public string? District { get; init; }
    public string? Statute { get; init; }
    public ArrestStatus? Status { get; init; }
    public PageCursor? After { get; init; }
    public int Limit { get; init; } = 50;
}

/// <summary>A position in a keyset page: the last row's (bookedAt, id).</summary>
public sealed record PageCursor(DateTimeOffset BookedAt, long Id)
{
    public string Encode() =>
        Convert.ToBase64String(System.Text.Encoding.ASCII.GetBytes($"{BookedAt.UtcTicks}.{Id}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public static bool TryDecode(string? text, out PageCursor? cursor)
    {
        cursor = null;
        if (string.IsNullOrEmpty(text) || text.Length > 64)
        {
            return false;
        }

        try
        {
            var padded = text.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - (padded.Length % 4)) % 4);
            var parts = System.Text.Encoding.ASCII.GetString(Convert.FromBase64String(padded)).Split('.');
            if (parts.Length == 2 && long.TryParse(parts[0], out var ticks) && long.TryParse(parts[1], out var id) &&
                ticks >= DateTimeOffset.MinValue.UtcTicks && ticks <= DateTimeOffset.MaxValue.UtcTicks)
            {
                cursor = new PageCursor(new DateTimeOffset(ticks, TimeSpan.Zero), id);
                return true;
            }
        }
        catch (FormatException)
        {
        }

        return false;
    }
}

/// <summary>One line of a result list: enough to pick the arrest; the full record is one GET away.</summary>
public sealed record ArrestSummary
{
    public string ArrestNumber { get; init; } = "";
    public ArrestStatus Status { get; init; }
    public DateTimeOffset BookedAt { get; init; }
    public string District { get; init; } = "";
    public string LastName { get; init; } = "";
    public string FirstName { get; init; } = "";
    public DateOnly? DateOfBirth { get; init; }
    public string? LeadCharge { get; init; }
    public string? LeadGrade { get; init; }
    public int Version { get; init; }
}

public sealed record ArrestPage(IReadOnlyList<ArrestSummary> Items, string? NextCursor);
