using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OpenPars.App.Audit;
using OpenPars.App.Charter;
using OpenPars.App.Identity;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Core.Common;
using OpenPars.Core.Transparency;
using OpenPars.Storage;
using OpenPars.Storage.Audit;

namespace OpenPars.App.Transparency;

/// <summary>One file of a published report folder: its name (no directory) and its bytes.</summary>
public sealed record ReportFile(string Name, byte[] Bytes)
{
    /// <summary>SHA-256 of the bytes, lowercase hex.</summary>
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(Bytes));
}

/// <summary>A month's report as published: its files (HTML, JSON, CSV, the page's stylesheet, one SVG chart a table), the manifest that
/// lists their hashes, and the manifest's hash as the audit log recorded it.</summary>
public sealed record TransparencyPublication(string Month, long ProvenThrough, IReadOnlyList<ReportFile> Files, ReportFile Manifest)
{
    /// <summary>SHA-256 of <c>manifest.json</c>: what the publication's audit entry (12007) names.</summary>
    public string ManifestSha256 => Manifest.Sha256;
}

/// <summary>What checking a report folder against the log found: proven, or every reason it is not.</summary>
/// <param name="Month">The month the manifest names (empty when it could not be read).</param>
/// <param name="ManifestSha256">The manifest's hash.</param>
/// <param name="EntryIndex">The index of the publication's audit entry, when the log has one for this manifest.</param>
/// <param name="CheckpointSize">The size of the signed checkpoint the inclusion proof was checked against.</param>
/// <param name="Problems">Empty when proven: each file that differs, is missing or is extra, and each failed proof step.</param>
public sealed record TransparencyVerification(string Month, string ManifestSha256, long? EntryIndex, long? CheckpointSize, IReadOnlyList<string> Problems)
{
    /// <summary>True when every file matches the manifest, the manifest's publication is in the log, and the entry's
    /// inclusion proof verifies against a checkpoint whose signature verifies with the log's key.</summary>
    public bool Proven => Problems.Count == 0;
}

/// <summary>
/// <c>openpars report transparency</c> and <c>openpars report verify</c> (issue 11): a month's public report written as
/// a folder whose manifest's hash is an audit entry, and the check that a folder is exactly what was published —
/// every file's hash, the publication entry found in the log, and its inclusion proof against a signed checkpoint.
/// Publishing is for the operator of the store or a privacy officer; each call is one audit entry.
/// </summary>
public sealed class TransparencyPublishing(
    TransparencyUseCases transparency, CharterUseCases charter, AuditReader reader, AuditLog log, AuditSigning signing,
    OpenParsDbContext db, AuditScope audit)
{
    /// <summary>The manifest's file name in a report folder.</summary>
    public const string ManifestName = "manifest.json";

    /// <summary>Who may publish or check a report: the operator of the store, or a privacy officer.</summary>
    public static readonly Func<Caller, bool> Publishers = c => c.IsOperator || Access.PrivacyOfficer(c);

    /// <summary>Renders the month's report and records its manifest's hash; the caller writes the files. A checkpoint
    /// is signed right after, so the publication can be proven at once.</summary>
    public async Task<TransparencyPublication> PublishAsync(Caller caller, string? month, CancellationToken ct = default)
    {
        var publication = await audit.ReadAsync(caller, AuditEventType.TransparencyReportPublished, async () =>
        {
            Access.Require(caller, Publishers);
            var report = await transparency.MonthAsync(month, ct);
            var rendered = Render(report, await charter.PublicAsync(ct));
            audit.Trail.Payload(new TransparencyReportV1(rendered.Month, rendered.ManifestSha256, rendered.ProvenThrough));
            return rendered;
        });
        await log.CheckpointIfBehindAsync(db, ct);
        return publication;
    }

    /// <summary>The folder's files for <paramref name="report"/>: a pure function of the report and the charter.</summary>
    public static TransparencyPublication Render(TransparencyMonth report, TransparencyCharterView? charterInForce)
    {
        ArgumentNullException.ThrowIfNull(report);
        var stem = $"transparency-{report.Month}";
        var files = new List<ReportFile>
        {
            new($"{stem}.html", Utf8(TransparencyHtml.Render(report, charterInForce, $"{stem}.json", $"{stem}.csv", TransparencyHtml.StylesheetName))),
            new($"{stem}.json", JsonSerializer.SerializeToUtf8Bytes(report, OpenParsJson.Options)),
            new($"{stem}.csv", Utf8(TransparencyReports.ToCsv(report))),
            new(TransparencyHtml.StylesheetName, TransparencyHtml.Stylesheet()),
        };
        files.AddRange(report.Tables.Where(t => !t.Withheld && t.Lines.Count > 0)
            .Select((t, i) => new ReportFile($"{stem}-chart-{(i + 1).ToString("00", CultureInfo.InvariantCulture)}.svg", Utf8(TransparencyHtml.Chart(t)))));
        var manifest = new JsonObject
        {
            ["month"] = report.Month,
            ["provenThrough"] = report.ProvenThrough,
            ["files"] = new JsonArray([.. files.Select(f => (JsonNode)new JsonObject { ["name"] = f.Name, ["sha256"] = f.Sha256, ["bytes"] = f.Bytes.Length })]),
        };
        return new TransparencyPublication(report.Month, report.ProvenThrough, files, new ReportFile(ManifestName, Utf8(manifest.ToJsonString(new JsonSerializerOptions { WriteIndented = true }) + "\n")));
    }

    /// <summary>Checks a report folder (<paramref name="files"/>: every file in it, by name) against the log.</summary>
    public Task<TransparencyVerification> VerifyAsync(Caller caller, IReadOnlyDictionary<string, byte[]> files, CancellationToken ct = default) =>
        audit.ReadAsync(caller, AuditEventType.TransparencyReportVerified, async () =>
        {
            Access.Require(caller, Publishers);
            ArgumentNullException.ThrowIfNull(files);
            var problems = new List<string>();
            if (!files.TryGetValue(ManifestName, out var manifestBytes))
            {
                return new TransparencyVerification("", "", null, null, [$"The folder has no {ManifestName}."]);
            }

            var manifestSha = Convert.ToHexStringLower(SHA256.HashData(manifestBytes));
            var (month, listed) = ReadManifest(manifestBytes, problems);
            foreach (var (name, sha) in listed)
            {
                if (!files.TryGetValue(name, out var bytes))
                {
                    problems.Add($"{name} is listed in the manifest but missing.");
                }
                else if (!string.Equals(Convert.ToHexStringLower(SHA256.HashData(bytes)), sha, StringComparison.Ordinal))
                {
                    problems.Add($"{name} differs from the manifest (its SHA-256 is not {sha}).");
                }
            }

            problems.AddRange(files.Keys.Where(n => n != ManifestName && !listed.ContainsKey(n)).Order(StringComparer.Ordinal).Select(n => $"{n} is not in the manifest."));
            var (index, size) = await ProveAsync(manifestSha, month, problems, ct);
            audit.Trail.Payload(new TransparencyReportV1(month, manifestSha, size ?? 0, problems.Count == 0));
            return new TransparencyVerification(month, manifestSha, index, size, problems);
        });

    private static (string Month, Dictionary<string, string> Files) ReadManifest(byte[] bytes, List<string> problems)
    {
        try
        {
            var manifest = JsonNode.Parse(bytes) as JsonObject ?? throw new JsonException("not an object");
            var month = manifest["month"]?.GetValue<string>() ?? "";
            var listed = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var file in manifest["files"]?.AsArray() ?? [])
            {
                var name = file?["name"]?.GetValue<string>();
                var sha = file?["sha256"]?.GetValue<string>();
                if (name is null || sha is null || Path.GetFileName(name) != name || !listed.TryAdd(name, sha))
                {
                    problems.Add("The manifest lists a file without a plain name and a hash, or twice.");
                }
            }

            return (month, listed);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            problems.Add($"{ManifestName} is not a report manifest.");
            return ("", new Dictionary<string, string>(StringComparer.Ordinal));
        }
    }

    /// <summary>Finds the publication entry naming <paramref name="manifestSha"/> and proves it is in the tree of the
    /// newest signed checkpoint, whose signature is checked with the log's key.</summary>
    private async Task<(long? Index, long? Size)> ProveAsync(string manifestSha, string month, List<string> problems, CancellationToken ct)
    {
        var found = await FindPublicationAsync(manifestSha, ct);
        if (found is not { } index)
        {
            problems.Add($"No publication of a manifest with SHA-256 {manifestSha} is in the audit log.");
            return (null, null);
        }

        var checkpoint = await reader.CheckpointAsync(null, ct);
        if (checkpoint is null || checkpoint.TreeSize <= index)
        {
            problems.Add($"The publication (entry {index}) is not yet covered by a signed checkpoint.");
            return (index, checkpoint?.TreeSize);
        }

        using var key = ECDsa.Create();
        key.ImportFromPem(signing.PublicKeyPem);
        if (!CheckpointVerifier.TryParseAndVerify(checkpoint.Note, key, out var verified, out var error))
        {
            problems.Add($"The checkpoint of size {checkpoint.TreeSize} does not verify: {error}");
            return (index, checkpoint.TreeSize);
        }

        var proof = await reader.InclusionProofAsync(index, verified.TreeSize, ct);
        var leaf = MerkleHash.LeafHash(Rfc8785Canonicalizer.Canonicalize(proof.Entry));
        var said = AuditPayloads.Read<TransparencyReportV1>(proof.Entry);
        if (said is null || said.ManifestSha256 != manifestSha || said.Month != month)
        {
            problems.Add($"Entry {index} does not name this manifest and month.");
        }
        else if (!MerkleTree.VerifyInclusion(leaf, index, verified.TreeSize, [.. proof.AuditPath.Select(Convert.FromBase64String)], verified.RootHash))
        {
            problems.Add($"The inclusion proof of entry {index} does not verify against the checkpoint of size {verified.TreeSize}.");
        }

        return (index, verified.TreeSize);
    }

    private async Task<long?> FindPublicationAsync(string manifestSha, CancellationToken ct)
    {
        long? before = null;
        while (true)
        {
            var page = await reader.EntriesAsync(new AuditEntryFilter { EventType = (int)AuditEventType.TransparencyReportPublished, Outcome = "allowed", Before = before, Limit = 100 }, ct);
            foreach (var item in page.Items)
            {
                if (AuditPayloads.Read<TransparencyReportV1>(item.Entry)?.ManifestSha256 == manifestSha)
                {
                    return item.Index;
                }
            }

            if (page.NextCursor is null)
            {
                return null;
            }

            before = long.Parse(page.NextCursor, NumberStyles.None, CultureInfo.InvariantCulture);
        }
    }

    private static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
}
