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
        var ver = Median(verify, nameof(VerifyBenchmarks.AuditVerify));
        rows.Add([$"raw SHA-256 of each entry ({VerifyBenchmarks.Entries:N0}, avg {VerifyData.Shared?.AverageBytes:N0} B)", Report.F(sha, 1), Report.F(1e9 / sha), "1.00×", ""]);
        rows.Add(["AuditLogVerifier.Verify (leaf hash, stored-hash check, tree, 1 checkpoint / 1,000)", Report.F(ver, 1), Report.F(1e9 / ver), Report.Ratio(sha / ver), 1e9 / ver >= 1_000_000 ? "≥ 1M/s: met" : "≥ 1M/s: NOT met"]);
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
        var ver = MedianOf5(() => data.Verify()) / count * 1e9;
        Report.Table($"Audit verify (quick: Stopwatch, median of 5, {count:N0} entries)", ["operation", "ns/entry", "entries/s", "speed vs SHA-256"],
        [
            ["raw SHA-256 of each entry", Report.F(sha, 1), Report.F(1e9 / sha), "1.00×"],
            ["AuditLogVerifier.Verify", Report.F(ver, 1), Report.F(1e9 / ver), Report.Ratio(sha / ver)],
        ]);
    }
}

/// <summary>Synthetic audit entries (canonical bytes of typical arrest reads), their leaf hashes, and checkpoints signed every 1,000.</summary>
public sealed class VerifyData
{
    private readonly AuditLogRecord[] _records;
    private readonly List<string> _notes;
    private readonly AuditLogVerifier _verifier;
    private readonly byte[] _hash = new byte[MerkleHash.Size];

    private VerifyData(AuditLogRecord[] records, List<string> notes, AuditLogVerifier verifier)
    {
        _records = records;
        _notes = notes;
        _verifier = verifier;
    }

    public static VerifyData? Shared { get; set; }

    public double AverageBytes => _records.Average(r => r.EntryBytes.Length);

    public static VerifyData Create(int count)
    {
        var bytes = new byte[count][];
        Parallel.For(0, count, i => bytes[i] = AuditBench.Entry(i).CanonicalBytes(i));
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

        var publicKey = ECDsa.Create(key.ExportParameters(false));
        return new VerifyData(records, notes, new AuditLogVerifier(publicKey, origin, origin));
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
}

public class VerifyBenchmarks
{
    public const int Entries = 1_000_000;

    [GlobalSetup]
    public void Setup() => VerifyData.Shared ??= VerifyData.Create(Entries);

    [Benchmark(Baseline = true, OperationsPerInvoke = Entries)]
    public int RawSha256() => VerifyData.Shared!.RawSha256();

    [Benchmark(OperationsPerInvoke = Entries)]
    public bool AuditVerify() => VerifyData.Shared!.Verify();
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
