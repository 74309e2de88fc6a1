using System.Globalization;

namespace OpenPars.Core.Audit;

/// <summary>
/// A signed tree head in the C2SP tlog-checkpoint format (a C2SP signed note):
/// <c>origin\nsize\nbase64(root)\n</c>, a blank line, then signature lines.
/// Only produced by <see cref="CheckpointSigner"/> or by a successful <see cref="CheckpointVerifier"/> parse.
/// </summary>
public sealed record Checkpoint(string Origin, long TreeSize, byte[] RootHash, string NoteText)
{
    /// <summary>The signed note text: exactly the bytes (UTF-8) the signatures cover.</summary>
    public string Body => FormatBody(Origin, TreeSize, RootHash);

    internal static string FormatBody(string origin, long treeSize, ReadOnlySpan<byte> rootHash) =>
        string.Create(CultureInfo.InvariantCulture, $"{origin}\n{treeSize}\n{Convert.ToBase64String(rootHash)}\n");
}
