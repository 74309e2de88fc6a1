using System.Text.Json.Nodes;
using Microsoft.EntityFrameworkCore;
using OpenPars.App.Hosting;
using OpenPars.Core.Audit;
using OpenPars.Core.Audit.Payloads;
using OpenPars.Storage.Agencies;
using OpenPars.Testing;

namespace OpenPars.Cli.Tests.Transparency;

/// <summary>`openpars report transparency` writes a month's public report folder and records its manifest's hash in
/// the audit log; `openpars report verify` proves a folder is exactly that publication, and says what differs when
/// one file, the manifest or the folder's contents were changed afterwards.</summary>
public sealed class ReportCommandTests
{
    [Theory, AllProviders]
    public async Task A_published_folder_is_proven_and_any_change_to_it_is_not(StorageProvider provider)
    {
        await using var db = await TestDatabase.CreateAsync(provider);
        var store = CliRunner.StorageArgs(db.Settings);
        foreach (var (code, kind) in new[] { ("PPD", "police"), ("DAO", "district-attorney"), ("FJD", "courts"), ("ICE", "partner") })
        {
            await db.Identity().AddAgencyAsync(code, $"Agency {code}", kind);
        }

        var identity = new IdentityStore(db.NewContext(), TimeProvider.System, TestAudit.Trail(db.Settings, TimeProvider.System));
        var officer = await identity.AddUserAsync("PPD", "ppd.booking", ["booking-officer"]);
        var (_, officerToken) = await identity.CreateTokenAsync(officer.Id, null, "cli");
        var month = DateTime.UtcNow.ToString("yyyy-MM", System.Globalization.CultureInfo.InvariantCulture);
        var folder = Directory.CreateTempSubdirectory("openpars-report-").FullName;
        try
        {
            var published = await CliRunner.RunAsync(["report", "transparency", "--month", month, "--out", folder, .. store]);
            Assert.True(published.ExitCode == 0, published.Output);
            var names = Directory.EnumerateFiles(folder).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
            Assert.Contains($"transparency-{month}.html", names);
            Assert.Contains($"transparency-{month}.json", names);
            Assert.Contains($"transparency-{month}.csv", names);
            Assert.Contains("manifest.json", names);
            var report = JsonNode.Parse(File.ReadAllText(Path.Combine(folder, $"transparency-{month}.json")))!;
            Assert.Equal(month, report["month"]!.GetValue<string>());
            var html = File.ReadAllText(Path.Combine(folder, $"transparency-{month}.html"));
            Assert.Contains($"href=\"transparency-{month}.csv\"", html, StringComparison.Ordinal);
            Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);

            // The folder looks like the page: the page links the stylesheet beside it, the same bytes the server sends
            // for /pages/site.css, and nothing outside the folder.
            Assert.Contains("site.css", names);
            Assert.Contains("<link rel=\"stylesheet\" href=\"site.css\">", html, StringComparison.Ordinal);
            Assert.DoesNotContain("href=\"/", html, StringComparison.Ordinal);
            Assert.Equal(File.ReadAllBytes(TestRepository.PathOf("src", "OpenPars.Web", "Pages", "Assets", "site.css")), File.ReadAllBytes(Path.Combine(folder, "site.css")));

            var manifestBytes = File.ReadAllBytes(Path.Combine(folder, "manifest.json"));
            var manifestSha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(manifestBytes));
            await using (var ctx = db.NewContext())
            {
                var entry = await ctx.AuditEntries.SingleAsync(e => e.EventType == (int)AuditEventType.TransparencyReportPublished);
                var said = AuditPayloads.Read<TransparencyReportV1>(entry.Entry)!;
                Assert.Equal(manifestSha, said.ManifestSha256);
                Assert.Equal(month, said.Month);
            }

            var proven = await CliRunner.RunAsync(["report", "verify", folder, .. store]);
            Assert.True(proven.ExitCode == 0, proven.Output);
            Assert.Contains("proven:", proven.Output, StringComparison.Ordinal);

            // One byte of the CSV changed: that file is named, and the folder is not proven.
            var csv = Path.Combine(folder, $"transparency-{month}.csv");
            var original = File.ReadAllBytes(csv);
            File.WriteAllBytes(csv, [.. original, (byte)'\n']);
            var changed = await CliRunner.RunAsync(["report", "verify", folder, .. store]);
            Assert.Equal(1, changed.ExitCode);
            Assert.Contains($"transparency-{month}.csv differs from the manifest", changed.Output, StringComparison.Ordinal);

            // The manifest rewritten to match the changed file: no such publication is in the log.
            var manifest = JsonNode.Parse(manifestBytes)!;
            foreach (var file in manifest["files"]!.AsArray())
            {
                if (file!["name"]!.GetValue<string>() == Path.GetFileName(csv))
                {
                    file["sha256"] = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(csv)));
                }
            }

            File.WriteAllText(Path.Combine(folder, "manifest.json"), manifest.ToJsonString());
            var forged = await CliRunner.RunAsync(["report", "verify", folder, .. store]);
            Assert.Equal(1, forged.ExitCode);
            Assert.Contains("No publication of a manifest", forged.Output, StringComparison.Ordinal);

            // Restored, plus a file the publication never had.
            File.WriteAllBytes(csv, original);
            File.WriteAllBytes(Path.Combine(folder, "manifest.json"), manifestBytes);
            File.WriteAllText(Path.Combine(folder, "note.txt"), "added later");
            var extra = await CliRunner.RunAsync(["report", "verify", folder, .. store]);
            Assert.Equal(1, extra.ExitCode);
            Assert.Contains("note.txt is not in the manifest", extra.Output, StringComparison.Ordinal);
            File.Delete(Path.Combine(folder, "note.txt"));
            Assert.Equal(0, (await CliRunner.RunAsync(["report", "verify", folder, .. store])).ExitCode);

            // A booking officer may neither publish nor check.
            var refused = await CliRunner.RunAsync(["report", "transparency", "--out", folder, "--token", officerToken, .. store]);
            Assert.NotEqual(0, refused.ExitCode);
            Assert.Contains("PARS-AUTH-002", refused.Output, StringComparison.Ordinal);

            await using var after = db.NewContext();
            Assert.Equal(1, await after.AuditEntries.CountAsync(e => e.EventType == (int)AuditEventType.TransparencyReportPublished && e.Outcome == "allowed"));
            Assert.Equal(1, await after.AuditEntries.CountAsync(e => e.EventType == (int)AuditEventType.TransparencyReportPublished && e.Outcome == "refused"));
            Assert.Equal(5, await after.AuditEntries.CountAsync(e => e.EventType == (int)AuditEventType.TransparencyReportVerified));
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
