using OpenPars.Core.Agreements;

namespace OpenPars.Core.Policy;

/// <summary>A deployment's settings for the partner pipeline. They can tighten, never loosen: the prohibited
/// criteria are always the built-in list plus configured names (<see cref="ProhibitedCriteria.WithConfigured"/>).</summary>
public sealed record PolicyOptions
{
    /// <summary>A stated reason shorter than this (trimmed) is refused with PARS-AGR-011.</summary>
    public int MinReasonLength { get; init; } = 10;

    public ProhibitedCriteria Prohibited { get; init; } = ProhibitedCriteria.BuiltIn;

    public static PolicyOptions Default { get; } = new();
}
