namespace OpenPars.Web.Tests;
public class SmokeTests { [Xunit.Fact] public void Builds() { } }
