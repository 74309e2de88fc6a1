using System.Diagnostics;
using System.Security.Cryptography;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Loggers;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using BenchmarkDotNet.Attributes;
using OpenPars.Core.Audit;

namespace OpenPars.Bench;

/// <summary>Benchmark 4 (c): `audit verify` (AuditLogVerifier) over synthetic canonical entries in memory vs raw SHA-256 of the same bytes;
/// and MerkleHash.LeafHash vs SHA256.HashData on one entry. BenchmarkDotNet (in-process) for the full run, Stopwatch medians of 5 for --quick.</summary>
public static class VerifyBench
{
    public static void Run(BenchOptions options)
    {
        if (options.Quick)
        {
            RunStopwatch(100_000);
            return;
        }

        Report.Progress($"verify: BenchmarkDotNet over {VerifyBenchmarks.Entries:N0} entries (building them takes a while)");
        var logger = new StderrLogger();
        var verify = BenchmarkRunner.Run<VerifyBenchmarks>(Config(logger, Job.Default.WithLaunchCount(1).WithWarmupCount(1).WithIterationCount(5).WithInvocationCount(1).WithUnrollFactor(1)));
        var leaf = BenchmarkRunner.Run<LeafHashBenchmarks>(Config(logger, Job.Default.WithLaunchCount(1).WithWarmupCount(3).WithIterationCount(10)));
        var rows = new List<string[]>();
        double Median(BenchmarkDotNet.Reports.Summary s, string method) =>
            s.Reports.Single(r => r.BenchmarkCase.Descriptor.WorkloadMethod.Name == method).ResultStatistics?.Median ?? double.NaN;
        var sha = Median(verify, nameof(VerifyBenchmarks.RawSha256));
        var all = Median(verify, nameof(VerifyBenchmarks.RawSha256AllCores));
        var ver = Median(verify, nameof(VerifyBenchmarks.AuditVerify));
        var store = Median(verify, nameof(VerifyBenchmarks.StoreVerify));
        rows.Add([$"raw SHA-256 of each entry ({VerifyBenchmarks.Entries:N0}, avg {VerifyData.Shared?.AverageBytes:N0} B)", Report.F(sha, 1), Report.F(1e9 / sha), "1.00×", ""]);
        rows.Add([$"raw SHA-256 of each entry on all {Environment.ProcessorCount} cores", Report.F(all, 1), Report.F(1e9 / all), Report.Ratio(sha / all), ""]);
        rows.Add(["AuditLogVerifier.Verify (leaf hash, stored-hash check, tree, 1 checkpoint / 1,000)", Report.F(ver, 1), Report.F(1e9 / ver), Report.Ratio(sha / ver), $"{Report.Ratio(all / ver)} of all cores' SHA-256 (target ≥ 0.8×)"]);
        rows.Add(["AuditLogVerifier.VerifyStoreAsync (the same, and every column, records-index row and event binding; one entry in ten a write with its event)", Report.F(store, 1), Report.F(1e9 / store), Report.Ratio(sha / store), 1e9 / store >= 1_000_000 ? "≥ 1M/s: met" : "≥ 1M/s: NOT met"]);
        var s2 = Median(leaf, nameof(LeafHashBenchmarks.Sha256HashData));
        var l2 = Median(leaf, nameof(LeafHashBenchmarks.MerkleLeafHash));
        rows.Add(["micro: SHA256.HashData(entry)", Report.F(s2, 1), Report.F(1e9 / s2), "1.00×", ""]);
        rows.Add(["micro: MerkleHash.LeafHash(entry, dest)", Report.F(l2, 1), Report.F(1e9 / l2), Report.Ratio(s2 / l2), ""]);
        Report.Table("Audit verify (BenchmarkDotNet 0.15.8, in-process toolchain; median; ratio = speed relative to raw SHA-256)",
            ["operation", "ns/entry", "entries/s", "speed vs SHA-256", "target"], rows);
    }

    private static ManualConfig Config(ILogger logger, Job job)
    {
        var config = ManualConfig.CreateEmpty()
            .AddJob(job.WithToolchain(InProcessEmitToolchain.Instance))
            .AddLogger(logger)
            .AddColumnProvider(BenchmarkDotNet.Columns.DefaultColumnProviders.Instance)
            .WithArtifactsPath(Path.Combine(Path.GetTempPath(), "openpars-bench-artifacts"));
        config.Options |= ConfigOptions.DisableLogFile;
        return config;
    }

    private static void RunStopwatch(int count)
    {
        Report.Progress($"verify (quick, Stopwatch): {count:N0} entries");
        var data = VerifyData.Create(count);
        double MedianOf5(Action action)
        {
            action();
            var times = new List<double>();
            for (var i = 0; i < 5; i++)
            {
                var w = Stopwatch.StartNew();
                action();
                times.Add(w.Elapsed.TotalSeconds);
            }

            times.Sort();
            return times[2];
        }

        var sha = MedianOf5(() => data.RawSha256()) / count * 1e9;
        var all = MedianOf5(() => data.RawSha256AllCores()) / count * 1e9;
        var ver = MedianOf5(() => data.Verify()) / count * 1e9;
        var store = MedianOf5(() => data.VerifyStore()) / count * 1e9;
        Report.Table($"Audit verify (quick: Stopwatch, median of 5, {count:N0} entries, one in ten a write with its event; {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} before)",
            ["operation", "ns/entry", "entries/s", "speed vs SHA-256, one core", "speed vs SHA-256, all cores (target ≥ 0.8×)"],
        [
            ["raw SHA-256 of each entry, one core", Report.F(sha, 1), Report.F(1e9 / sha), "1.00×", Report.Ratio(all / sha)],
            [$"raw SHA-256 of each entry, all {Environment.ProcessorCount} cores", Report.F(all, 1), Report.F(1e9 / all), Report.Ratio(sha / all), "1.00×"],
            ["AuditLogVerifier.Verify (chain and checkpoints: the entry bytes only)", Report.F(ver, 1), Report.F(1e9 / ver), Report.Ratio(sha / ver), Report.Ratio(all / ver)],
            ["AuditLogVerifier.VerifyStoreAsync (also every column, index row and event binding)", Report.F(store, 1), Report.F(1e9 / store), Report.Ratio(sha / store), Report.Ratio(all / store)],
        ]);
    }
}

/// <summary>
/// Synthetic audit entries (canonical bytes of typical arrest reads; every tenth a booking that recorded its event, a
/// real-sized arrest-booked body), their leaf hashes, checkpoints signed every 1,000, and the store around them as
/// `audit verify` reads it: each entry's query columns, its records-index row, the events, in slices of 4,096.
/// </summary>
public sealed class VerifyData
{
    private const int SliceSize = 4096;
    private readonly AuditLogRecord[] _records;
    private readonly List<string> _notes;
    private readonly AuditLogVerifier _verifier;
    private readonly List<AuditStoreSlice> _slices;
    private readonly byte[] _hash = new byte[MerkleHash.Size];

    private VerifyData(AuditLogRecord[] records, List<string> notes, AuditLogVerifier verifier, List<AuditStoreSlice> slices)
    {
        _records = records;
        _notes = notes;
        _verifier = verifier;
        _slices = slices;
    }

    /// <summary>An arrest-booked body of the usual size (about 1.2 KB).</summary>
    private static string Body(long i) =>
        $$$"""{"type":"arrest-booked","district":"{{{i % 21 + 1:00}}}","bookedAt":"2026-11-02T13:30:00+00:00","arrestingOfficer":{"badgeNumber":"4711","name":"Kowalski"},"incident":{"offenseLocation":"1200 Market St","occurredAt":"2026-11-02T12:00:00+00:00","narrative":"Struck the complainant outside the station."},"person":{"lastName":"Nguyễn","firstName":"Zoë","aliases":[{"lastName":"Dough","firstName":"Johnny"}],"dateOfBirth":"1990-05-17","sex":"male","race":"white","ethnicity":"non-hispanic","ssn":"123-45-6789","placeOfBirth":{"city":"Lagos","country":"Nigeria"},"address":{"street":"1 Elm St","city":"Philadelphia","state":"PA","postalCode":"19107"},"identifiers":{"pid":"1234567","sid":"PA123456","fbiNumber":"FBI9876543"}},"charges":[{"citation":"18 § 901(a)","description":"Criminal attempt","grade":"ungraded","counts":1}],"involvedParties":[{"role":"victim","name":"J. Doe"}],"arrestNumber":"26-{{{i % 10_000_000:0000000}}}","sequence":1,"recordedAt":"2026-11-02T14:00:00+00:00","actor":{"userId":1,"userName":"ppd.booking","agencyCode":"PPD"}}""";

    public static VerifyData? Shared { get; set; }

    public double AverageBytes => _records.Average(r => r.EntryBytes.Length);

    public static VerifyData Create(int count)
    {
        var bytes = new byte[count][];
        var events = new StoredEventRecord?[count];
        Parallel.For(0, count, i =>
        {
            var entry = AuditBench.Entry(i);
            if (i % 10 == 0)
            {
                var evt = new EventEnvelope(i / 10 + 1, "arrest", entry.Records[0], 1, "arrest-booked", Body(i), entry.Time, 1, "PPD");
                var hash = evt.Hash();
                events[i] = new StoredEventRecord(evt, i, hash);
                entry = entry with { Type = AuditEventType.ArrestBooked, Method = "POST", Events = [EventEnvelope.Encode(hash)] };
            }

            bytes[i] = entry.CanonicalBytes(i);
        });
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        const string origin = "bench.openpars.local/audit";
        var signer = new CheckpointSigner(key, origin);
        var tree = new MerkleTreeBuilder();
        var records = new AuditLogRecord[count];
        var notes = new List<string>();
        for (var i = 0; i < count; i++)
        {
            var leaf = MerkleHash.LeafHash(bytes[i]);
            records[i] = new AuditLogRecord(i, bytes[i], leaf);
            tree.AppendLeafHash(leaf);
            if ((i + 1) % 1000 == 0 || i == count - 1)
            {
                notes.Add(signer.Sign(origin, tree.Size, tree.RootHash()).NoteText);
            }
        }

        var slices = new List<AuditStoreSlice>();
        for (var from = 0; from < count; from += SliceSize)
        {
            var to = Math.Min(count, from + SliceSize);
            var entries = new AuditLogRecord[to - from];
            var rows = new AuditRecordRow[to - from];
            for (var i = from; i < to; i++)
            {
                AuditEntryFacts.TryRead(bytes[i], out var facts, out _);
                entries[i - from] = records[i] with { StoredColumns = facts!.Columns };
                rows[i - from] = new AuditRecordRow(i, facts.Records[0]);
            }

            slices.Add(new AuditStoreSlice(entries, rows, [.. events.Skip(from).Take(to - from).OfType<StoredEventRecord>()]));
        }

        var publicKey = ECDsa.Create(key.ExportParameters(false));
        return new VerifyData(records, notes, new AuditLogVerifier(publicKey, origin, origin), slices);
    }

    /// <summary>SHA-256 of each entry on every core (the target's baseline: verify ≥ 0.8× of it).</summary>
    public int RawSha256AllCores()
    {
        var parts = Environment.ProcessorCount;
        var x = new int[parts];
        Parallel.For(0, parts, part =>
        {
            Span<byte> hash = stackalloc byte[MerkleHash.Size];
            for (var i = _records.Length * part / parts; i < _records.Length * (part + 1) / parts; i++)
            {
                SHA256.HashData(_records[i].EntryBytes.Span, hash);
                x[part] ^= hash[0];
            }
        });
        return x.Aggregate(0, (a, b) => a ^ b);
    }

    public int RawSha256()
    {
        var x = 0;
        foreach (var record in _records)
        {
            SHA256.HashData(record.EntryBytes.Span, _hash);
            x ^= _hash[0];
        }

        return x;
    }

    public bool Verify()
    {
        var result = _verifier.Verify(_records, _notes);
        return result.IsIntact && result.TreeSize == _records.Length ? true : throw new InvalidOperationException("verify failed: " + result.Message);
    }

    public bool VerifyStore()
    {
        var result = _verifier.VerifyStoreAsync(_slices.ToAsyncEnumerable(), _notes).GetAwaiter().GetResult();
        return result.IsIntact && result.TreeSize == _records.Length && result.EventsChecked == (_records.Length + 9) / 10
            ? true
            : throw new InvalidOperationException("store verify failed: " + result.Message);
    }
}

public class VerifyBenchmarks
{
    public const int Entries = 1_000_000;

    [GlobalSetup]
    public void Setup() => VerifyData.Shared ??= VerifyData.Create(Entries);

    [Benchmark(Baseline = true, OperationsPerInvoke = Entries)]
    public int RawSha256() => VerifyData.Shared!.RawSha256();

    [Benchmark(OperationsPerInvoke = Entries)]
    public int RawSha256AllCores() => VerifyData.Shared!.RawSha256AllCores();

    [Benchmark(OperationsPerInvoke = Entries)]
    public bool AuditVerify() => VerifyData.Shared!.Verify();

    [Benchmark(OperationsPerInvoke = Entries)]
    public bool StoreVerify() => VerifyData.Shared!.VerifyStore();
}

public class LeafHashBenchmarks
{
    private readonly byte[] _entry = AuditBench.Entry(1234567).CanonicalBytes(1234567);
    private readonly byte[] _destination = new byte[MerkleHash.Size];

    [Benchmark(Baseline = true)]
    public int Sha256HashData() => SHA256.HashData(_entry, _destination);

    [Benchmark]
    public byte MerkleLeafHash()
    {
        MerkleHash.LeafHash(_entry, _destination);
        return _destination[0];
    }
}

/// <summary>BenchmarkDotNet's log on stderr, so stdout stays the Markdown report.</summary>
public sealed class StderrLogger : ILogger
{
    public string Id => "stderr";

    public int Priority => 0;

    public void Flush() => Console.Error.Flush();

    public void Write(LogKind logKind, string text) => Console.Error.Write(text);

    public void WriteLine() => Console.Error.WriteLine();

    public void WriteLine(LogKind logKind, string text) => Console.Error.WriteLine(text);
}
