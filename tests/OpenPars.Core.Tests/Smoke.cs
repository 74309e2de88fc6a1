namespace OpenPars.Core.Tests;
public class SmokeTests { [Xunit.Fact] public void Builds() { } }
