namespace OpenPars.Core.Agreements;

/// <summary>What a partner may do: <c>search</c> (GET /api/v1/partner/arrests?criteria) and
/// <c>read</c> (GET /api/v1/partner/arrests/{arrestNumber}). Wire names are camelCase.</summary>
public enum PartnerOperation
{
    Search,
    Read,
}
