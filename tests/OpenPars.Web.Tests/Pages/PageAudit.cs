using System.Text.Json.Nodes;
using OpenPars.Core.Agencies;
using OpenPars.Core.Audit;

namespace OpenPars.Web.Tests.Pages;

/// <summary>What the page tests check of the entry a page request left: its event, its outcome and the channel
/// <c>page</c>.</summary>
public static class PageAudit
{
    /// <summary>Asserts <paramref name="entry"/> records <paramref name="type"/> with <paramref name="outcome"/> through a page.</summary>
    public static void AssertEntry(JsonObject entry, AuditEventType type, string outcome = "allowed")
    {
        ArgumentNullException.ThrowIfNull(entry);
        Assert.Equal((int)type, entry["type"]!.GetValue<int>());
        Assert.Equal(outcome, entry["outcome"]!.GetValue<string>());
        Assert.Equal(Channels.Page, entry["channel"]!.GetValue<string>());
    }
}
