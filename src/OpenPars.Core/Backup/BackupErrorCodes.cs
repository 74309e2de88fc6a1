namespace OpenPars.Core.Backup;

/// <summary>Refusals of `openpars backup` and `openpars restore` (the command prints the code and exits 1).</summary>
public static class BackupErrorCodes
{
    /// <summary>The backup's tree is smaller than the last checkpoint the system published: restoring it would silently
    /// drop signed entries (a rollback). Refused unless <c>--force</c>, which writes a loud audit entry.</summary>
    public const string OlderThanPublished = "PARS-BAK-001";

    /// <summary>The folder is not a backup of this format, its file does not match the manifest's hash, or its checkpoint
    /// does not verify with the log's keys.</summary>
    public const string NotABackup = "PARS-BAK-002";

    /// <summary>The backup's log does not extend the last published checkpoint: same size or larger, but another root (a fork).</summary>
    public const string Inconsistent = "PARS-BAK-003";

    /// <summary>The backup was made on the other database provider than the one restored into.</summary>
    public const string WrongProvider = "PARS-BAK-004";
}
