namespace OpenPars.Core.Arrests;

public enum InvolvementRole { Victim, Witness }

/// <summary>
/// A victim or witness. Protected: stored in a table of its own and never disclosed through any
/// data-sharing agreement (the 2009 PARS revision).
/// </summary>
public sealed record InvolvedParty
{
    public InvolvementRole? Role { get; init; }
    public string Name { get; init; } = "";
    public string? Contact { get; init; }
}
