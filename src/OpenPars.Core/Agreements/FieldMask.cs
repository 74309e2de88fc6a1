namespace OpenPars.Core.Agreements;

/// <summary>How a granted field is shown. A field with no grant is withheld: there is no "none" mask,
/// absence is the only way to withhold. Wire names: <c>full</c>, <c>last4</c>, <c>year</c>, <c>initial</c>.</summary>
public enum FieldMask
{
    /// <summary>The value as stored.</summary>
    Full,

    /// <summary>SSN → <c>***-**-1234</c>.</summary>
    Last4,

    /// <summary>Date of birth → <c>1987</c>.</summary>
    Year,

    /// <summary>Name → <c>J.</c>.</summary>
    Initial,
}

/// <summary>One granted column and its mask, as the decision hands it to storage (select only these) and to
/// <see cref="Policy.PartnerView"/> (mask at projection).</summary>
public sealed record FieldGrant(string Field, FieldMask Mask);
