namespace OpenPars.Cli.Tests;
public class SmokeTests { [Xunit.Fact] public void Builds() { } }
