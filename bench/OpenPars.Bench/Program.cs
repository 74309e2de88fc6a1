namespace OpenPars.Bench; public static class Program { public static int Main() => 0; }
