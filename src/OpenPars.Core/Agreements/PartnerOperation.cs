namespace OpenPars.Core.Agreements;

/// <summary>What a partner may do: <c>search</c> (GET /api/v1/partner/arrests?criteria),
/// <c>read</c> (GET /api/v1/partner/arrests/{arrestNumber}) and <c>watch</c> (POST /api/v1/partner/watches: be told
/// when an identified person's arrest record changes, counted against <see cref="AgreementQuotas.MaxActiveWatches"/>).
/// Wire names are camelCase.</summary>
public enum PartnerOperation
{
    Search,
    Read,
    Watch,
}
