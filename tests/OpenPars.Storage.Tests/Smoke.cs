namespace OpenPars.Storage.Tests;
public class SmokeTests { [Xunit.Fact] public void Builds() { } }
