using OpenPars.Core.Tests.Agreements;
using Xunit;
using System.Reflection;
using OpenPars.Core.Agreements;
using OpenPars.Core.Common;

namespace OpenPars.Core.Tests.Common;

public sealed class ErrorCatalogueTests
{
    /// <summary>Every code constant declared anywhere in Core (ErrorCodes, AgreementErrorCodes and any later
    /// catalogue class ending in ErrorCodes).</summary>
    private static IEnumerable<string> DeclaredCodes() =>
        typeof(ErrorCodes).Assembly.GetTypes()
            .Where(t => t.Name.EndsWith("ErrorCodes", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(v => v.StartsWith("PARS-", StringComparison.Ordinal));

    [Fact]
    public void Every_declared_code_is_catalogued_once_with_a_status_and_title()
    {
        var declared = DeclaredCodes().ToList();
        Assert.Contains(AgreementErrorCodes.QuotaExceeded, declared);
        Assert.All(declared, code => Assert.True(ErrorCatalogue.IsCatalogued(code), $"{code} is declared but not in ErrorCatalogue"));
        Assert.Equal(ErrorCatalogue.All.Count, ErrorCatalogue.All.Select(e => e.Code).Distinct().Count());
        Assert.All(ErrorCatalogue.All, e =>
        {
            Assert.InRange(e.Status, 400, 599);
            Assert.False(string.IsNullOrWhiteSpace(e.Title));
            Assert.False(string.IsNullOrWhiteSpace(e.Description));
        });
        Assert.Empty(ErrorCatalogue.All.Select(e => e.Code).Except(declared));
    }

    [Theory]
    [InlineData(ErrorCodes.ValidationFailed, 400)]
    [InlineData(ErrorCodes.Unauthenticated, 401)]
    [InlineData(ErrorCodes.Forbidden, 403)]
    [InlineData(AgreementErrorCodes.QuotaExceeded, 429)]
    [InlineData(ErrorCodes.ArrestStale, 412)]
    [InlineData(ErrorCodes.AuditUnavailable, 503)]
    [InlineData("PARS-NOPE-999", 500)]
    public void A_code_answers_with_its_status(string code, int status) => Assert.Equal(status, ErrorCatalogue.StatusFor(code));

    [Fact]
    public void Docs_errors_md_is_the_catalogue()
    {
        var path = TestAgreements.RepoPath("docs", "errors.md");
        Assert.True(File.Exists(path), "docs/errors.md is missing: write ErrorCatalogue.ToMarkdown() there");
        Assert.Equal(ErrorCatalogue.ToMarkdown(), File.ReadAllText(path).ReplaceLineEndings("\n"));
    }
}
