using OpenPars.Core.Common;

namespace OpenPars.Core.Arrests;

public enum ArrestStatus { AwaitingCharging, Charged, Declined, Arraigned }

/// <summary>
/// The only moves an arrest can make: booking → charging review (charge or decline) → arraignment.
/// Declined is final. Everything else is refused with <see cref="ErrorCodes.IllegalTransition"/>.
/// </summary>
public static class ArrestStatusMachine
{
    public static bool CanMove(ArrestStatus from, ArrestStatus to) => (from, to) switch
    {
        (ArrestStatus.AwaitingCharging, ArrestStatus.Charged) => true,
        (ArrestStatus.AwaitingCharging, ArrestStatus.Declined) => true,
        (ArrestStatus.Charged, ArrestStatus.Arraigned) => true,
        _ => false,
    };

    public static void EnsureCanMove(ArrestStatus from, ArrestStatus to, string arrestNumber)
    {
        if (CanMove(from, to))
        {
            return;
        }

        var code = from == ArrestStatus.Declined ? ErrorCodes.DeclinedIsFinal : ErrorCodes.IllegalTransition;
        throw new DomainException(code, $"Arrest {arrestNumber} is {ToCode(from)}; it cannot become {ToCode(to)}.");
    }

    public static string ToCode(ArrestStatus status) => status switch
    {
        ArrestStatus.AwaitingCharging => "awaiting-charging",
        ArrestStatus.Charged => "charged",
        ArrestStatus.Declined => "declined",
        ArrestStatus.Arraigned => "arraigned",
        _ => throw new ArgumentOutOfRangeException(nameof(status)),
    };

    public static bool TryParse(string? code, out ArrestStatus status)
    {
        foreach (var candidate in Enum.GetValues<ArrestStatus>())
        {
            if (string.Equals(ToCode(candidate), code, StringComparison.Ordinal))
            {
                status = candidate;
                return true;
            }
        }

        status = default;
        return false;
    }
}
