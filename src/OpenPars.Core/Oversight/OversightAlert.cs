namespace OpenPars.Core.Oversight;

public enum AlertKind
{
    Disparity,
    DailyProbing,
    SurnameEnumeration,
    DateOfBirthEnumeration,
    ArrestNumberRun,
    ZeroResultFishing,
    OutOfHoursBurst,
}

public static class AlertKinds
{
    /// <summary>Stable names, as an agreement's <c>autoSuspendOn</c> and the event log spell them.</summary>
    public static string Name(AlertKind kind) => kind switch
    {
        AlertKind.Disparity => "disparity",
        AlertKind.DailyProbing => "daily-probing",
        AlertKind.SurnameEnumeration => "surname-enumeration",
        AlertKind.DateOfBirthEnumeration => "date-of-birth-enumeration",
        AlertKind.ArrestNumberRun => "arrest-number-run",
        AlertKind.ZeroResultFishing => "zero-result-fishing",
        AlertKind.OutOfHoursBurst => "out-of-hours-burst",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, "Every alert kind needs a stable name."),
    };

    public static bool TryParse(string? name, out AlertKind kind)
    {
        foreach (var candidate in Enum.GetValues<AlertKind>())
        {
            if (string.Equals(Name(candidate), name, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        kind = default;
        return false;
    }
}

/// <summary>
/// An alert with its evidence: the audit entries it rests on (<see cref="Evidence"/>, entry indexes) and the
/// figures that crossed the rule (<see cref="Figures"/>, counts and thresholds only, never a name, a date of
/// birth or an arrest number: alerts are shown to representatives, the entries only to privacy officers).
/// <see cref="Key"/> identifies the alert across evaluations, so evaluating again after each request raises it
/// once: the wiring records a key it has not recorded before.
/// </summary>
public sealed record OversightAlert(
    AlertKind Kind,
    string Key,
    DateTimeOffset RaisedAt,
    string AgencyCode,
    string? AgreementId,
    long? UserId,
    string? UserName,
    string Summary,
    IReadOnlyList<long> Evidence,
    IReadOnlyDictionary<string, string> Figures);
