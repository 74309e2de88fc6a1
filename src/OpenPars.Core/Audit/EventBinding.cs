namespace OpenPars.Core.Audit;

/// <summary>
/// The check a projection makes on every load before it trusts an event (Audit/README.md § 6): the event is bound,
/// its columns still hash to its stored hash, and the entry it names exists, still hashes to its stored leaf hash and
/// lists that hash among its events. Cheap (one SHA-256 of the event, one of the entry, one forward read of the
/// entry); what it cannot see — an entry rewritten with its leaf hash, an event deleted with nothing after it — the
/// full verifier sees (`openpars audit verify`, signed checkpoints).
/// </summary>
public static class EventBinding
{
    /// <param name="evt">The stored event.</param>
    /// <param name="entry">The bytes and stored leaf hash of the entry <see cref="StoredEventRecord.AuditIndex"/> names, or null when there is none.</param>
    /// <returns>Null when the event is bound and intact, else what is wrong with it.</returns>
    public static AuditFinding? Check(StoredEventRecord evt, (ReadOnlyMemory<byte> Bytes, byte[] LeafHash)? entry)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var e = evt.Event;
        var what = $"The event at position {e.Position} ({e.StreamType} {e.StreamId} version {e.Version})";
        if (evt.AuditIndex is not { } index || evt.StoredHash is not { } stored)
        {
            return new AuditFinding(AuditDamage.EventUnbound, null, $"{what} is bound to no audit entry.", e.Position);
        }

        var hash = e.Hash();
        if (!hash.AsSpan().SequenceEqual(stored))
        {
            return new AuditFinding(AuditDamage.EventAltered, index, $"{what} no longer hashes to its stored hash.", e.Position);
        }

        if (entry is not { } recorded)
        {
            return new AuditFinding(AuditDamage.EventInserted, index, $"{what} names audit entry {index}, which does not exist.", e.Position);
        }

        if (!MerkleHash.LeafHash(recorded.Bytes.Span).AsSpan().SequenceEqual(recorded.LeafHash))
        {
            return new AuditFinding(AuditDamage.EntryAltered, index, $"Audit entry {index}, which recorded the event at position {e.Position}, no longer hashes to its leaf hash.", e.Position);
        }

        var encoded = EventEnvelope.Encode(hash);
        return AuditEntryFacts.TryRead(recorded.Bytes.Span, out var facts, out _) && facts.Events.Contains(encoded, StringComparer.Ordinal)
            ? null
            : new AuditFinding(AuditDamage.EventInserted, index, $"{what} names audit entry {index}, which does not record it.", e.Position);
    }
}
