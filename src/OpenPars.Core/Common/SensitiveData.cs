using Microsoft.Extensions.Compliance.Classification;

namespace OpenPars.Core.Common;

/// <summary>
/// The classification OpenPARS gives to personal data that must never reach a log line, an exception
/// message or a partner without a grant: SSN, date of birth, race, ethnicity, place/country of birth, address.
/// The log redactor erases every value carrying it (see the Web host's logging set-up).
/// </summary>
public static class OpenParsTaxonomy
{
    public const string Name = "OpenPars";

    public static DataClassification Sensitive { get; } = new(Name, nameof(Sensitive));
}

[AttributeUsage(AttributeTargets.Property | AttributeTargets.Field | AttributeTargets.Parameter, AllowMultiple = false)]
public sealed class SensitiveDataAttribute : DataClassificationAttribute
{
    public SensitiveDataAttribute()
        : base(OpenParsTaxonomy.Sensitive)
    {
    }
}
