using System.Globalization;

namespace OpenPars.Core.Audit;

/// <summary>
/// What <see cref="AuditLogVerifier.VerifyStoreAsync"/> checks beside the Merkle chain, one slice at a time: each
/// entry's stored query columns and records-index rows against what its bytes say, and each event row against the
/// entry that recorded it (Audit/README.md § 6). The per-row work (leaf hash, reading the entry, hashing the event)
/// runs on every core; the comparisons then run in index order. Nothing is kept between slices but the last event
/// position and the findings.
/// </summary>
internal sealed class AuditStoreChecks
{
    private readonly List<AuditFinding> _findings = [];
    private long _findingCount;
    private long _eventsChecked;
    private long _lastPosition;
    private long _lastPositionIndex = -1;
    private byte[] _leaves = [];
    private readonly SubtreeRoots _subtrees = new();

    /// <returns>False once the chain's outcome is known (the scan stopped): no further slice is needed.</returns>
    public bool Check(AuditStoreSlice slice, AuditLogScan scan)
    {
        var entries = slice.Entries;
        var events = slice.Events;
        if (_leaves.Length < entries.Count * MerkleHash.Size)
        {
            _leaves = new byte[entries.Count * MerkleHash.Size];
        }

        var facts = new AuditEntryFacts?[entries.Count];
        var errors = new string?[entries.Count];
        var hashes = new byte[events.Count][];
        var leaves = _leaves;
        ForEachPart(entries.Count + events.Count, i =>
        {
            if (i < entries.Count)
            {
                var bytes = entries[i].EntryBytes.Span;
                MerkleHash.LeafHash(bytes, leaves.AsSpan(i * MerkleHash.Size, MerkleHash.Size));
                if (!AuditEntryFacts.TryRead(bytes, out facts[i], out errors[i]))
                {
                    facts[i] = null;
                }
            }
            else
            {
                hashes[i - entries.Count] = events[i - entries.Count].Event.Hash();
            }
        });

        _subtrees.Compute(i => entries[i].Index, entries.Count, leaves);
        var going = true;
        for (var i = 0; i < entries.Count && going; i++)
        {
            going = scan.Accept(entries[i], leaves.AsSpan(i * MerkleHash.Size, MerkleHash.Size), _subtrees);
        }

        // Entries, index rows and bound events, each in index order, walked together: the rows of an index are a run.
        var order = EntryOrder(entries);
        var records = slice.Records.ToArray();
        if (!IsSorted(records, r => r.Index))
        {
            records = [.. records.OrderBy(r => r.Index)];
        }

        var bound = Enumerable.Range(0, events.Count).Where(i => events[i].AuditIndex is not null).ToArray();
        if (!IsSorted(bound, i => events[i].AuditIndex!.Value))
        {
            bound = [.. bound.OrderBy(i => events[i].AuditIndex!.Value).ThenBy(i => events[i].Event.Position)];
        }

        int r = 0, e = 0;
        foreach (var i in order)
        {
            var index = entries[i].Index;
            for (; r < records.Length && records[r].Index < index; r++)
            {
                NoEntryRecord(records[r]);
            }

            var firstRecord = r;
            for (; r < records.Length && records[r].Index == index; r++)
            {
            }

            for (; e < bound.Length && events[bound[e]].AuditIndex < index; e++)
            {
                NoEntryEvent(events[bound[e]]);
            }

            var firstEvent = e;
            for (; e < bound.Length && events[bound[e]].AuditIndex == index; e++)
            {
            }

            if (facts[i] is not { } read)
            {
                Add(AuditDamage.EntryUnreadable, index, $"Entry {index} cannot be read: {errors[i]}.");
                continue;
            }

            if (entries[i].StoredColumns is { } stored)
            {
                CheckColumns(index, stored, read.Columns);
            }

            CheckRecords(index, read.Records, records.AsSpan(firstRecord, r - firstRecord));
            if (e > firstEvent || read.Events.Count > 0)
            {
                CheckEvents(index, read.Events, [.. bound.AsSpan(firstEvent, e - firstEvent).ToArray().Select(k => (events[k], hashes[k]))]);
            }
        }

        for (; r < records.Length; r++)
        {
            NoEntryRecord(records[r]);
        }

        for (; e < bound.Length; e++)
        {
            NoEntryEvent(events[bound[e]]);
        }

        foreach (var evt in events.Where(x => x.AuditIndex is null))
        {
            _eventsChecked++;
            Add(AuditDamage.EventUnbound, null, $"{Describe(evt.Event)} is bound to no audit entry: nothing in the log recorded it.", evt.Event.Position);
        }

        return going;
    }

    private void NoEntryRecord(AuditRecordRow row) =>
        Add(AuditDamage.RecordIndexExtra, row.Index, $"The records index says entry {row.Index} touched {row.ArrestNumber}, but there is no entry {row.Index}.");

    private void NoEntryEvent(StoredEventRecord evt)
    {
        _eventsChecked++;
        Add(AuditDamage.EventInserted, evt.AuditIndex, $"{Describe(evt.Event)} names entry {evt.AuditIndex}, which does not exist.", evt.Event.Position);
    }

    /// <summary>The entries' positions in index order, each index once (a repeated index is the chain's damage to name).</summary>
    private static int[] EntryOrder(IReadOnlyList<AuditLogRecord> entries)
    {
        var order = Enumerable.Range(0, entries.Count).ToArray();
        if (!IsSorted(order, i => entries[i].Index))
        {
            order = [.. order.OrderBy(i => entries[i].Index)];
        }

        return [.. order.Where((i, k) => k == 0 || entries[order[k - 1]].Index != entries[i].Index)];
    }

    private static bool IsSorted<T>(T[] items, Func<T, long> key)
    {
        for (var i = 1; i < items.Length; i++)
        {
            if (key(items[i]) < key(items[i - 1]))
            {
                return false;
            }
        }

        return true;
    }

    public AuditVerificationResult Complete(AuditVerificationResult chain)
    {
        var result = chain with { Findings = _findings, FindingCount = _findingCount, EventsChecked = _eventsChecked };
        if (chain.Damage != AuditDamage.None || _findings.Count == 0)
        {
            return result;
        }

        var first = _findings[0];
        var more = _findingCount > 1 ? $" ({_findingCount - 1:N0} more finding(s) follow.)" : "";
        return result with { Damage = first.Kind, FirstBadIndex = first.Index, Message = first.Message + more };
    }

    private void CheckColumns(long index, AuditEntryColumns stored, AuditEntryColumns derived)
    {
        Compare("recorded_at", stored.RecordedAt.UtcTicks == derived.RecordedAt.UtcTicks, AuditTime.Format(stored.RecordedAt), AuditTime.Format(derived.RecordedAt));
        Compare("event_type", stored.EventType == derived.EventType, Text(stored.EventType), Text(derived.EventType));
        Compare("outcome", string.Equals(stored.Outcome, derived.Outcome, StringComparison.Ordinal), stored.Outcome, derived.Outcome);
        Compare("code", string.Equals(stored.Code, derived.Code, StringComparison.Ordinal), stored.Code, derived.Code);
        Compare("user_id", stored.UserId == derived.UserId, Text(stored.UserId), Text(derived.UserId));
        Compare("agency_code", string.Equals(stored.AgencyCode, derived.AgencyCode, StringComparison.Ordinal), stored.AgencyCode, derived.AgencyCode);
        Compare("agreement_id", string.Equals(stored.AgreementId, derived.AgreementId, StringComparison.Ordinal), stored.AgreementId, derived.AgreementId);
        Compare("purpose", string.Equals(stored.Purpose, derived.Purpose, StringComparison.Ordinal), stored.Purpose, derived.Purpose);

        void Compare(string column, bool equal, string? storedText, string? derivedText)
        {
            if (!equal)
            {
                Add(AuditDamage.ColumnMismatch, index, $"Entry {index}: column {column} holds {storedText ?? "null"}, but the entry says {derivedText ?? "null"}.");
            }
        }
    }

    private void CheckRecords(long index, IReadOnlyList<string> named, ReadOnlySpan<AuditRecordRow> rows)
    {
        if (named.Count == rows.Length && (named.Count == 0 || (named.Count == 1 && string.Equals(named[0], rows[0].ArrestNumber, StringComparison.Ordinal))))
        {
            return;
        }

        var indexed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            indexed.Add(row.ArrestNumber);
        }

        var namedSet = named.ToHashSet(StringComparer.Ordinal);
        if (indexed.SetEquals(namedSet))
        {
            return;
        }

        foreach (var number in named.Where(n => !indexed.Contains(n)))
        {
            Add(AuditDamage.RecordIndexMissing, index, $"Entry {index} touched {number}, but the records index has no row for it.");
        }

        foreach (var row in rows)
        {
            if (!namedSet.Contains(row.ArrestNumber))
            {
                Add(AuditDamage.RecordIndexExtra, index, $"The records index says entry {index} touched {row.ArrestNumber}; the entry does not name it.");
            }
        }
    }

    /// <summary>
    /// The events bound to one entry against the hashes it lists. An event matches a listed hash when its columns hash
    /// to it. An event whose columns no longer hash to its stored hash is altered; unmatched events and unmatched
    /// hashes left over are paired as altered (the stored hash was rewritten too), and the rest are inserted or missing.
    /// </summary>
    private void CheckEvents(long index, IReadOnlyList<string> listed, List<(StoredEventRecord Event, byte[] Hash)> events)
    {
        var unmatchedListed = new List<string>(listed);
        var unmatched = new List<(StoredEventRecord Event, bool Reported)>();
        foreach (var (evt, hash) in events)
        {
            _eventsChecked++;
            var storedIntact = evt.StoredHash is { } stored && stored.AsSpan().SequenceEqual(hash);
            if (!storedIntact)
            {
                Add(AuditDamage.EventAltered, index, $"{Describe(evt.Event)} no longer hashes to its stored hash: a column of it was changed.", evt.Event.Position);
            }

            // What the entry recorded is this event's content, or (content changed, already reported) its stored hash.
            if (unmatchedListed.Remove(EventEnvelope.Encode(hash))
                || (!storedIntact && evt.StoredHash is { } recorded && unmatchedListed.Remove(EventEnvelope.Encode(recorded))))
            {
                continue;
            }

            unmatched.Add((evt, !storedIntact));
        }

        var paired = Math.Min(unmatched.Count, unmatchedListed.Count);
        foreach (var (evt, _) in unmatched.Take(paired).Where(u => !u.Reported))
        {
            Add(AuditDamage.EventAltered, index, $"{Describe(evt.Event)} is not the event entry {index} recorded: it was changed and its hash rewritten.", evt.Event.Position);
        }

        foreach (var (evt, _) in unmatched.Skip(paired).Where(u => !u.Reported))
        {
            Add(AuditDamage.EventInserted, index, $"{Describe(evt.Event)} names entry {index}, which does not list it: it was added behind the log's back.", evt.Event.Position);
        }

        foreach (var hash in unmatchedListed.Skip(paired))
        {
            Add(AuditDamage.EventMissing, index, $"Entry {index} recorded event {hash}, which is not in the event log: it was deleted.");
        }

        if (events.Count > 0)
        {
            var first = events.Min(e => e.Event.Event.Position);
            if (first <= _lastPosition && _lastPositionIndex >= 0)
            {
                Add(AuditDamage.EventOutOfOrder, index, $"Entry {index} recorded the event at position {first}, not after position {_lastPosition} recorded by entry {_lastPositionIndex}.", first);
            }

            _lastPosition = Math.Max(_lastPosition, events.Max(e => e.Event.Event.Position));
            _lastPositionIndex = index;
        }
    }

    private void Add(AuditDamage kind, long? index, string message, long? position = null)
    {
        _findingCount++;
        if (_findings.Count < AuditLogVerifier.MaxFindings)
        {
            _findings.Add(new AuditFinding(kind, index, message, position));
        }
    }

    private static string Describe(EventEnvelope evt) =>
        $"Event at position {evt.Position} ({evt.StreamType} {evt.StreamId} version {evt.Version}, {evt.Type})";

    private static string Text(long? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "null";

    private static void ForEachPart(int count, Action<int> body)
    {
        if (count >= 256 && Environment.ProcessorCount > 1)
        {
            var parts = Environment.ProcessorCount;
            Parallel.For(0, parts, part =>
            {
                for (var i = count * part / parts; i < count * (part + 1) / parts; i++)
                {
                    body(i);
                }
            });
            return;
        }

        for (var i = 0; i < count; i++)
        {
            body(i);
        }
    }
}
