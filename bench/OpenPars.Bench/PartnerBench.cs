namespace OpenPars.Bench;

public static class PartnerBench
{
    public static Task RunAsync(BenchOptions options) => Task.CompletedTask;
}
