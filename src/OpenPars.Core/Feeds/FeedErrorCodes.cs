namespace OpenPars.Core.Feeds;

/// <summary>Refusals of the real-time feeds: PARS-FEED-0xx (catalogued in Core/Common/ErrorCatalogue.cs).</summary>
public static class FeedErrorCodes
{
    /// <summary>Last-Event-ID names a position the event log has not reached: the stream cannot resume there.</summary>
    public const string ResumeAheadOfLog = "PARS-FEED-001";
}
