using System.CommandLine;
using OpenPars.App.Transparency;
using Spectre.Console;

namespace OpenPars.Cli.Commands;

/// <summary>`report transparency` (write a month's public report folder and record its manifest in the audit log) and
/// `report verify` (prove a folder is exactly what was published); the operator of the store or a privacy officer.</summary>
public static class ReportCommands
{
    /// <summary>`openpars report` and its subcommands, writing to <paramref name="console"/>.</summary>
    public static Command Create(IAnsiConsole console)
    {
        var storage = new StorageOptions();
        var month = new Option<string?>("--month") { Description = "The month, yyyy-MM (default: this month)." };
        var output = new Option<string>("--out") { Description = "The folder to write (created; files of the same name are replaced).", Required = true };
        var token = CliCredentials.TokenOption();
        var transparency = new Command("transparency", "Write a month's public transparency report (HTML, JSON, CSV, SVG charts, manifest of SHA-256 hashes) and record the manifest's hash in the audit log.") { month, output, token };
        storage.AddTo(transparency, withReference: false);
        transparency.SetAction(async (result, ct) =>
        {
            await using var app = await CliApp.StartAsync(storage.Resolve(result), "report transparency", ct);
            var caller = CliCredentials.Token(result, token) is { } t ? await CliCredentials.AuthenticateAsync(app, t, ct) : CliApp.Operator;
            var publication = await app.Get<TransparencyPublishing>().PublishAsync(caller, result.GetValue(month), ct);
            var folder = Path.GetFullPath(result.GetValue(output)!);
            Directory.CreateDirectory(folder);
            foreach (var file in publication.Files.Append(publication.Manifest))
            {
                await File.WriteAllBytesAsync(Path.Combine(folder, file.Name), file.Bytes, ct);
            }

            console.Profile.Out.Writer.WriteLine($"Published the transparency report for {publication.Month} ({publication.Files.Count} files, proven through checkpoint {publication.ProvenThrough}) to {folder}.");
            console.Profile.Out.Writer.WriteLine($"manifest sha256 {publication.ManifestSha256} is in the audit log; check the folder with: openpars report verify {folder}");
            return 0;
        });

        var verifyStorage = new StorageOptions();
        var folderArgument = new Argument<string>("folder") { Description = "A folder written by `openpars report transparency`." };
        var verifyToken = CliCredentials.TokenOption();
        var verify = new Command("verify", "Prove a report folder matches the audit log: every file's hash, the manifest's publication entry, and its inclusion proof against a signed checkpoint.") { folderArgument, verifyToken };
        verifyStorage.AddTo(verify, withReference: false);
        verify.SetAction(async (result, ct) =>
        {
            var folder = Path.GetFullPath(result.GetValue(folderArgument)!);
            if (!Directory.Exists(folder))
            {
                throw new CliException($"{folder} is not a folder.");
            }

            var files = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            foreach (var path in Directory.EnumerateFiles(folder))
            {
                files[Path.GetFileName(path)] = await File.ReadAllBytesAsync(path, ct);
            }

            await using var app = await CliApp.StartAsync(verifyStorage.Resolve(result), "report verify", ct);
            var caller = CliCredentials.Token(result, verifyToken) is { } t ? await CliCredentials.AuthenticateAsync(app, t, ct) : CliApp.Operator;
            var checkedFolder = await app.Get<TransparencyPublishing>().VerifyAsync(caller, files, ct);
            if (checkedFolder.Proven)
            {
                console.Profile.Out.Writer.WriteLine($"proven: {folder} is the transparency report for {checkedFolder.Month} published in audit entry {checkedFolder.EntryIndex}, included in the signed checkpoint of size {checkedFolder.CheckpointSize}.");
                return 0;
            }

            console.Profile.Out.Writer.WriteLine($"NOT proven: {folder}");
            foreach (var problem in checkedFolder.Problems)
            {
                console.Profile.Out.Writer.WriteLine($"  - {problem}");
            }

            return 1;
        });

        return new Command("report", "Public reports: publish a month's transparency report, verify a published folder.") { transparency, verify };
    }
}
