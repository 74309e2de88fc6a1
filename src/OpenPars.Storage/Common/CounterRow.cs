namespace OpenPars.Storage.Common;

/// <summary>Named sequences (arrest numbers per year), advanced atomically with UPDATE … RETURNING.</summary>
public sealed class CounterRow
{
    public string Name { get; set; } = "";
    public long Value { get; set; }
}
