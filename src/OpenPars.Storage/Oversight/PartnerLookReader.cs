using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenPars.Core.Agreements;
using OpenPars.Core.Arrests;
using OpenPars.Core.Arrests.Reference;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Core.Common;
using OpenPars.Core.Oversight;
using OpenPars.Storage.Agreements;
using OpenPars.Storage.Arrests;
using OpenPars.Storage.Audit;

namespace OpenPars.Storage.Oversight;

/// <summary>
/// The partner looks of a period, each proven by the log, and the persons behind what they disclosed.
/// <see cref="ProvenThrough"/> is the size of the signed checkpoint every observation was proven against;
/// <see cref="Pending"/> counts the partner entries of the period after it (proven at the next checkpoint, which
/// the audit writer signs within ten seconds): they are not in any figure yet.
/// </summary>
public sealed record PartnerLooks(
    IReadOnlyList<PartnerAccessObservation> Observations,
    IReadOnlyDictionary<string, OversightPerson> PersonsByArrest,
    long ProvenThrough,
    int Pending)
{
    /// <summary>Every person disclosed by an allowed look, with the entry that disclosed them.</summary>
    public IEnumerable<DisclosedPerson> Disclosures() =>
        Observations.Where(o => o.Allowed).SelectMany(o => o.Disclosed
            .Where(r => PersonsByArrest.ContainsKey(r.ArrestNumber))
            .Select(r => new DisclosedPerson(o.EntryIndex, o.Time, PersonsByArrest[r.ArrestNumber])));
}

/// <summary>
/// The one place oversight reads partner looks (audit entries 8001 partner.search and 8002 partner.read) from the
/// log. Every entry it hands on is proven: its bytes hash to its leaf, and that leaf is included (RFC 9162 inclusion
/// proof over the stored nodes) in the tree whose root the newest checkpoint signs, signature verified with the log's
/// key; the entries below that size are counted, so a deleted entry row is seen. What an observation says —
/// time, user, agency, outcome, code, criteria, records, agreement — is read from the proven bytes, never from the
/// query columns (which only narrow the scan); the agreement from its typed payload (<see cref="PartnerAccessV1"/>, or the
/// <c>details</c> of an older entry). A look that fails its proof refuses the whole read with
/// PARS-AUD-004: no figure is computed from a log the verifier does not vouch for. The entries are read as JSON
/// here and only here, so moving to typed payloads is a change to this file.
/// </summary>
public sealed class PartnerLookReader(OpenParsDbContext db, AuditSigning signing)
{
    private static readonly int[] LookTypes = [(int)AuditEventType.PartnerSearch, (int)AuditEventType.PartnerRead];

    /// <summary>Node ids per query (each IN list stays well inside every provider's parameter limit).</summary>
    private const int NodeBatch = 1000;

    /// <summary>The looks of <paramref name="agencyCode"/> (all partner agencies when null) recorded in [from, to).</summary>
    /// <exception cref="DomainException">StoreDamaged: an entry or the checkpoint fails its proof.</exception>
    public async Task<PartnerLooks> ReadAsync(string? agencyCode, DateTimeOffset from, DateTimeOffset to, CancellationToken ct = default)
    {
        var checkpoint = await ProvenCheckpointAsync(ct);
        var size = checkpoint?.TreeSize ?? 0;

        var rows = db.AuditEntries.AsNoTracking().Where(e => LookTypes.Contains(e.EventType) && e.RecordedAt >= from && e.RecordedAt < to);
        if (agencyCode is not null)
        {
            rows = rows.Where(e => e.AgencyCode == agencyCode);
        }

        var entries = await rows.OrderBy(e => e.Index).Select(e => new { e.Index, e.Entry }).ToListAsync(ct);
        var proven = entries.Where(e => e.Index < size).ToList();
        var leaves = proven.ToDictionary(e => e.Index, e => MerkleHash.LeafHash(e.Entry));
        if (checkpoint is not null)
        {
            await ProveInclusionAsync(checkpoint, leaves, ct);
        }

        var observations = new List<PartnerAccessObservation>(proven.Count);
        foreach (var entry in proven)
        {
            var observation = Observe(entry.Index, entry.Entry);
            if (from <= observation.Time && observation.Time < to && (agencyCode is null || observation.AgencyCode == agencyCode))
            {
                observations.Add(observation);
            }
        }

        var persons = await PersonsAsync([.. observations.SelectMany(o => o.Disclosed).Select(r => r.ArrestNumber).Distinct(StringComparer.Ordinal)], ct);
        var withPersons = observations.Select(o => o with
        {
            Disclosed = [.. o.Disclosed.Select(r => r with { PersonKey = persons.TryGetValue(r.ArrestNumber, out var p) ? p.PersonKey : "arrest:" + r.ArrestNumber })],
        }).ToList();
        return new PartnerLooks(withPersons, persons, size, entries.Count - proven.Count);
    }

    /// <summary>The agencies with a look at or after <paramref name="fromIndex"/>, and the log's size when asked: what an
    /// evaluator that has seen every look below <paramref name="fromIndex"/> must look at next.</summary>
    public async Task<(IReadOnlyList<string> Agencies, long Size)> AgenciesLookingSinceAsync(long fromIndex, CancellationToken ct = default)
    {
        var size = await db.AuditHead.Where(h => h.Id == 1).Select(h => h.Size).SingleAsync(ct);
        var agencies = await db.AuditEntries.AsNoTracking()
            .Where(e => e.Index >= fromIndex && e.Index < size && LookTypes.Contains(e.EventType) && e.AgencyCode != null)
            .Select(e => e.AgencyCode!).Distinct().ToListAsync(ct);
        return ([.. agencies.Order(StringComparer.Ordinal)], size);
    }

    /// <summary>
    /// The benchmark population: the persons of the arrests in the agreement's row scope at <paramref name="now"/>
    /// booked in [from, to), by the same SQL translation of the scope the partner's own queries use.
    /// </summary>
    public async Task<IReadOnlyList<BookedPerson>> BookedInScopeAsync(AgreementDocument agreement, DateTimeOffset from, DateTimeOffset to, DateTimeOffset now, StatuteCatalog statutes, CancellationToken ct = default)
    {
        var scoped = PartnerArrestQuery.Scope(db, db.Arrests.AsNoTracking(), agreement.RowScope, agreement.RowScope.BookedSince(now), statutes)
            .Where(a => a.BookedAt >= from && a.BookedAt < to);
        var rows = await scoped.Select(PersonColumns).ToListAsync(ct);
        return [.. rows.Select(r => new BookedPerson(r.BookedAt, Person(r)))];
    }

    /// <summary>The newest checkpoint, its signature verified with the log's key and its size no larger than the log.</summary>
    private async Task<Checkpoint?> ProvenCheckpointAsync(CancellationToken ct)
    {
        var note = await db.AuditCheckpoints.AsNoTracking().OrderByDescending(c => c.TreeSize).Select(c => c.Note).FirstOrDefaultAsync(ct);
        if (note is null)
        {
            return null;
        }

        // The current key and every retired one: the newest checkpoint may predate a rotation.
        var keys = signing.VerificationKeysPem.Select(pem =>
        {
            var key = ECDsa.Create();
            key.ImportFromPem(pem);
            return key;
        }).ToList();
        Checkpoint? checkpoint;
        string? error;
        try
        {
            CheckpointVerifier.TryParseAndVerifyAny(note, keys, keyName: null, expectedOrigin: signing.Origin, out checkpoint, out error);
        }
        finally
        {
            keys.ForEach(k => k.Dispose());
        }

        if (checkpoint is null)
        {
            throw Damaged(AuditDamage.CheckpointSignatureInvalid, $"the newest checkpoint does not verify ({error})");
        }

        // Every index below the checkpoint has its entry: a deleted look would otherwise just be missing.
        var present = await db.AuditEntries.LongCountAsync(e => e.Index < checkpoint.TreeSize, ct);
        if (present != checkpoint.TreeSize)
        {
            throw Damaged(AuditDamage.EntryMissing, $"the checkpoint signs {checkpoint.TreeSize} entries but {present} are stored below that size");
        }

        return checkpoint;
    }

    /// <summary>Each leaf's inclusion proof against the checkpoint's root; the stored nodes every proof needs are read
    /// in batches, each node once.</summary>
    private async Task ProveInclusionAsync(Checkpoint checkpoint, IReadOnlyDictionary<long, byte[]> leaves, CancellationToken ct)
    {
        var plans = leaves.Keys.ToDictionary(i => i, i => MerkleTree.PlanInclusionProof(i, checkpoint.TreeSize));
        var ids = plans.Values.SelectMany(p => p.Nodes).Select(n => AuditNodeRow.Id(n.Level, n.Index)).Distinct().ToList();
        var nodes = new Dictionary<long, byte[]>(ids.Count);
        foreach (var batch in ids.Chunk(NodeBatch))
        {
            foreach (var node in await db.AuditNodes.AsNoTracking().Where(n => batch.Contains(n.NodeId)).ToListAsync(ct))
            {
                nodes[node.NodeId] = node.Hash;
            }
        }

        foreach (var (index, plan) in plans)
        {
            var hashes = new List<byte[]>(plan.Nodes.Count);
            foreach (var address in plan.Nodes)
            {
                hashes.Add(nodes.TryGetValue(AuditNodeRow.Id(address.Level, address.Index), out var hash)
                    ? hash
                    : throw Damaged(AuditDamage.CheckpointRootMismatch, $"entry {index} cannot be proven: a node of its path is missing", index));
            }

            byte[][] proof;
            try
            {
                proof = plan.Assemble(hashes);
            }
            catch (ArgumentException)
            {
                throw Damaged(AuditDamage.CheckpointRootMismatch, $"entry {index} cannot be proven: a node of its path is malformed", index);
            }

            if (!MerkleTree.VerifyInclusion(leaves[index], index, checkpoint.TreeSize, proof, checkpoint.RootHash))
            {
                throw Damaged(AuditDamage.EntryAltered, $"entry {index} is not the entry the checkpoint of size {checkpoint.TreeSize} signs", index);
            }
        }
    }

    /// <summary>One look as its proven bytes state it.</summary>
    private static PartnerAccessObservation Observe(long index, byte[] bytes)
    {
        if (!AuditEntryFacts.TryRead(bytes, out var facts, out var error))
        {
            throw Damaged(AuditDamage.EntryUnreadable, $"entry {index} is not an OpenPARS entry ({error})", index);
        }

        var json = JsonNode.Parse(bytes)!.AsObject();
        var criteria = new Dictionary<string, string>(StringComparer.Ordinal);
        if (json["criteria"] is JsonObject given)
        {
            foreach (var (name, value) in given)
            {
                criteria[name] = value?.GetValue<string>() ?? "";
            }
        }

        var columns = facts.Columns;
        var allowed = columns.Outcome == "allowed";
        var records = json["records"] is JsonArray disclosed ? disclosed.Select(r => r!.GetValue<string>()).Distinct(StringComparer.Ordinal).ToList() : [];
        return new PartnerAccessObservation
        {
            EntryIndex = index,
            Time = columns.RecordedAt,
            UserId = columns.UserId ?? 0,
            UserName = json["actor"]?["user"]?.GetValue<string>() ?? "",
            AgencyCode = columns.AgencyCode ?? "",
            AgreementId = AuditPayloads.Read<PartnerAccessV1>(json)?.AgreementId,
            Operation = columns.EventType == (int)AuditEventType.PartnerRead ? PartnerOperation.Read : PartnerOperation.Search,
            Allowed = allowed,
            RefusalCode = allowed ? null : columns.Code,
            Criteria = criteria,
            Disclosed = allowed ? [.. records.Select(r => new DisclosedRecord(r, ""))] : [],
        };
    }

    private async Task<Dictionary<string, OversightPerson>> PersonsAsync(IReadOnlyList<string> arrestNumbers, CancellationToken ct)
    {
        var persons = new Dictionary<string, OversightPerson>(StringComparer.Ordinal);
        foreach (var batch in arrestNumbers.Chunk(NodeBatch))
        {
            foreach (var row in await db.Arrests.AsNoTracking().Where(a => batch.Contains(a.ArrestNumber)).Select(PersonColumns).ToListAsync(ct))
            {
                persons[row.ArrestNumber] = Person(row);
            }
        }

        return persons;
    }

    private static readonly System.Linq.Expressions.Expression<Func<ArrestRow, PersonRow>> PersonColumns = a => new PersonRow
    {
        ArrestNumber = a.ArrestNumber,
        BookedAt = a.BookedAt,
        DateOfBirth = a.DateOfBirth,
        Sex = a.Sex,
        Race = a.Race,
        Ethnicity = a.Ethnicity,
        BirthCountry = a.BirthCountry,
        Pid = a.Pid,
        Sid = a.Sid,
        FbiNumber = a.FbiNumber,
    };

    /// <summary>The person as <see cref="OversightPerson.FromArrest"/> sees them, from the columns it needs only.</summary>
    private static OversightPerson Person(PersonRow row) => OversightPerson.FromArrest(new ArrestRecord
    {
        ArrestNumber = row.ArrestNumber,
        BookedAt = row.BookedAt,
        Person = new Person
        {
            DateOfBirth = row.DateOfBirth,
            Sex = ArrestRowMapping.ParseEnum<Sex>(row.Sex),
            Race = ArrestRowMapping.ParseEnum<Race>(row.Race),
            Ethnicity = ArrestRowMapping.ParseEnum<Ethnicity>(row.Ethnicity),
            PlaceOfBirth = row.BirthCountry is null ? null : new PlaceOfBirth { Country = row.BirthCountry },
            Identifiers = new PersonIdentifiers { Pid = row.Pid, Sid = row.Sid, FbiNumber = row.FbiNumber },
        },
    });

    private static DomainException Damaged(AuditDamage kind, string message, long? index = null) =>
        Events.EventLog.Damaged(new AuditFinding(kind, index, message + ".", null));

    private sealed class PersonRow
    {
        public string ArrestNumber { get; init; } = "";
        public DateTimeOffset BookedAt { get; init; }
        public DateOnly? DateOfBirth { get; init; }
        public string? Sex { get; init; }
        public string? Race { get; init; }
        public string? Ethnicity { get; init; }
        public string? BirthCountry { get; init; }
        public string? Pid { get; init; }
        public string? Sid { get; init; }
        public string? FbiNumber { get; init; }
    }
}
