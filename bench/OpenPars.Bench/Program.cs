using System.Globalization;

namespace OpenPars.Bench;

/// <summary>
/// dotnet run -c Release --project bench/OpenPars.Bench -- ingest|search|booking|audit|verify|policy|partner|webhooks|feeds|all [--postgres CONNSTR] [--quick] [--sqlite-only]
/// Every subcommand prints Markdown tables on stdout (progress on stderr).
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        var command = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "";
        string? postgres = null;
        int? arrests = null, requests = null;
        for (var i = 0; i < args.Length - 1; i++)
        {
            switch (args[i])
            {
                case "--postgres":
                    postgres = args[i + 1];
                    break;
                case "--arrests":
                    arrests = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
                case "--requests":
                    requests = int.Parse(args[i + 1], CultureInfo.InvariantCulture);
                    break;
            }
        }

        postgres ??= Environment.GetEnvironmentVariable("OPENPARS_BENCH_POSTGRES");
        var options = new BenchOptions(command, postgres, args.Contains("--quick"), args.Contains("--sqlite-only")) { Arrests = arrests, Requests = requests };
        if (command is not ("ingest" or "search" or "booking" or "audit" or "verify" or "policy" or "partner" or "webhooks" or "feeds" or "all"))
        {
            Console.Error.WriteLine("usage: OpenPars.Bench ingest|search|booking|audit|verify|policy|partner|webhooks|feeds|all [--postgres CONNSTR] [--quick] [--sqlite-only] [--arrests N] [--requests N]");
            return 2;
        }

        Report.Note($"<!-- OpenPars.Bench {command}{(options.Quick ? " --quick" : "")}; providers: {string.Join(", ", options.Providers().Select(Report.Name))}; "
            + $"{Environment.ProcessorCount} cores; load average {LoadAverage()}; started {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC -->");
        if (command is "ingest" or "all")
        {
            await IngestBench.RunAsync(options);
        }

        if (command is "search" or "all")
        {
            await SearchBench.RunAsync(options);
        }

        if (command is "booking" or "all")
        {
            await BookingBench.RunAsync(options);
        }

        if (command is "audit" or "all")
        {
            await AuditBench.RunAsync(options);
        }

        if (command is "verify" or "audit" or "all")
        {
            VerifyBench.Run(options);
        }

        if (command is "policy" or "all")
        {
            await PolicyBench.RunAsync(options);
        }

        if (command is "partner" or "all")
        {
            await PartnerBench.RunAsync(options);
        }

        if (command is "webhooks" or "all")
        {
            await WebhookBench.RunAsync(options);
        }

        if (command is "feeds" or "all")
        {
            await FeedBench.RunAsync(options);
        }

        Report.Note($"<!-- finished {DateTime.UtcNow:yyyy-MM-dd HH:mm:ss} UTC; load average {LoadAverage()} -->");
        return 0;
    }

    public static string LoadAverage()
    {
        try
        {
            return string.Join(" ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }
}
