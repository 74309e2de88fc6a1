using OpenPars.Core.Agencies;
using OpenPars.Core.Agreements;
using OpenPars.Core.Charter;
using OpenPars.Core.Oversight;

namespace OpenPars.Core.Common;

/// <summary>One stable error code: the HTTP status it answers with, the problem's title, and what it means.</summary>
public sealed record ErrorDescription(string Code, int Status, string Title, string Description);

/// <summary>
/// Every code a refusal can carry, in one table: the problem-details answer takes its status and title from here,
/// the audit entry its status, and <c>docs/errors.md</c> is this table (a test keeps them equal). A code is added
/// here in the same change that introduces it; a code missing here answers 500 and fails that test.
/// </summary>
public static class ErrorCatalogue
{
    private static readonly ErrorDescription[] Entries =
    [
        // Request shape
        new(ErrorCodes.MalformedJson, 400, "Malformed JSON", "The body is not valid JSON of the expected shape."),
        new(ErrorCodes.UnknownMember, 400, "Unknown member", "The body or query names a member this request does not have; its name is in errors."),
        new(ErrorCodes.UnsupportedMediaType, 415, "Unsupported media type", "The body must be sent as application/json."),
        new(ErrorCodes.BodyTooLarge, 413, "Body too large", "The request body is larger than 1 MiB."),
        new(ErrorCodes.PreconditionRequired, 428, "If-Match required", "A correction must name the version it corrects in If-Match."),
        new(ErrorCodes.ValidationFailed, 400, "Invalid fields", "One or more fields break a rule; errors names each field and rule."),
        new(ErrorCodes.IdempotencyKeyReused, 422, "Idempotency-Key reused", "The Idempotency-Key was used before for a different request."),
        new(ErrorCodes.NotFound, 404, "Not found", "There is no such resource."),
        new(ErrorCodes.MethodNotAllowed, 405, "Method not allowed", "The resource exists but does not accept this method."),

        // Authentication and authorization
        new(ErrorCodes.Unauthenticated, 401, "Authentication required", "No valid, unrevoked, unexpired credential was presented."),
        new(ErrorCodes.Forbidden, 403, "Forbidden", "The caller's roles or agency do not allow this request."),

        // Arrests
        new(ErrorCodes.ArrestNotFound, 404, "Arrest not found", "No arrest has this number (or none is available to the caller)."),
        new(ErrorCodes.ArrestStale, 412, "Stale version", "If-Match does not name the arrest's current version; reload it and retry."),
        new(ErrorCodes.IllegalTransition, 409, "Illegal status transition", "The arrest's status does not allow this step."),
        new(ErrorCodes.ConcurrentChange, 409, "Changed concurrently", "Another request changed the same record at the same time; reload and retry."),
        new(ErrorCodes.DeclinedIsFinal, 409, "Declined is final", "A declined arrest takes no further charging or arraignment step."),

        // Identity administration
        new(ErrorCodes.AgencyNotFound, 404, "Agency not found", "No agency has this code."),
        new(ErrorCodes.AgencyCodeTaken, 409, "Agency code taken", "An agency with this code exists."),
        new(ErrorCodes.UserNotFound, 404, "User not found", "No user has this id."),
        new(ErrorCodes.TokenNotFound, 404, "Token not found", "No token has this id."),
        new(ErrorCodes.OutsideAdministration, 403, "Outside your administration", "An agency administers only its own users and tokens (the police records admin also onboards partner agencies and their analysts); no one assigns roles in another agency."),
        new(ErrorCodes.SeparationOfDuties, 400, "Separation of duties", "No account holds an administration role together with a representative, privacy-officer, desk or partner role."),
        new(ErrorCodes.OwnRoles, 403, "Own roles", "Nobody changes their own roles; another administrator of the agency must."),
        new(ErrorCodes.CredentialForAnotherPerson, 403, "Credential for another person", "No one obtains a token for another person: issue an enrolment secret the owner redeems once for their own token."),
        new(ErrorCodes.EnrolmentNotRedeemable, 400, "Enrolment not redeemable", "The enrolment secret is unknown, already redeemed, revoked or expired."),
        new(ErrorCodes.ServiceAccountRole, 400, "Role not for a service account", "A service account is a system, not a person: it never holds a desk, representative, privacy-officer, partner-analyst or administration role."),
        new(ErrorCodes.OwnCredentialReset, 403, "Own credential reset", "Nobody resets their own password or second factor; another administrator of the agency must, so every reset has a second person on the record."),
        new(ErrorCodes.NotAServiceAccount, 403, "Not a service account", "An administrator mints tokens only for a service account of their own agency; a person obtains their own token (enrolment)."),

        // Audit log
        new(ErrorCodes.AuditUnavailable, 503, "Audit log unavailable", "The request could not be recorded in the audit log, so it was not carried out."),
        new(ErrorCodes.AuditCheckpointNotFound, 404, "Checkpoint not found", "No checkpoint was signed at that tree size (or none yet)."),
        new(ErrorCodes.StoreDamaged, 503, "Store damaged", "An event or audit row does not verify against the audit log; the request is refused until the store is repaired (see /healthz and `openpars audit verify`)."),
        new(ErrorCodes.AuditRangeInvalid, 400, "Invalid proof range", "The entry index or tree sizes are outside the log."),

        // Partner-request pipeline, in the order its checks run
        new(AgreementErrorCodes.NoActiveAgreement, 403, "No agreement in force", "The partner agency has no agreement covering it."),
        new(AgreementErrorCodes.NotYetEffective, 403, "Agreement not yet effective", "The agreement's effective instant has not come."),
        new(AgreementErrorCodes.Expired, 403, "Agreement expired", "The agreement's expiry instant has passed."),
        new(AgreementErrorCodes.TerminatedOrSuspended, 403, "Agreement not in force", "The agreement was terminated by the quorum's withdrawal, suspended, or never entered into force."),
        new(AgreementErrorCodes.PurposeNotAllowed, 403, "Purpose not allowed", "The stated purpose is not one the agreement allows."),
        new(AgreementErrorCodes.ReasonMissing, 403, "Reason required", "The agreement requires a stated reason of the minimum length."),
        new(AgreementErrorCodes.CaseNumberMissing, 403, "Case number required", "The agreement requires a case number."),
        new(AgreementErrorCodes.ReasonBlockedTerm, 403, "Reason refused", "The stated reason contains a term the agreement blocks (e.g. sweep, foreign born)."),
        new(AgreementErrorCodes.ProhibitedCriterion, 403, "Prohibited criterion", "A criterion is one that may never be searched on (birthplace, race, ethnicity, language)."),
        new(AgreementErrorCodes.CriterionNotAllowed, 403, "Criterion not allowed", "A criterion is not one the agreement allows."),
        new(AgreementErrorCodes.QueryTooBroad, 403, "Query too broad", "The criteria do not identify one person as the agreement requires."),
        new(AgreementErrorCodes.QuotaExceeded, 429, "Quota exceeded", "The agreement's daily quota of queries or records is used up."),
        new(AgreementErrorCodes.OperationNotGranted, 403, "Operation not granted", "The agreement does not grant this operation."),

        // Agreement documents
        new(AgreementErrorCodes.NeverGrantableField, 400, "Field never grantable", "The document grants a field that no agreement may grant (victims, witnesses, narrative)."),
        new(AgreementErrorCodes.ProhibitedCriterionAllowed, 400, "Prohibited criterion allowed", "The document allows a criterion that may never be searched on."),
        new(AgreementErrorCodes.ExpiresNotAfterEffective, 400, "Expiry before effect", "The document's expiry is not after its effective instant."),
        new(AgreementErrorCodes.InvalidDocument, 400, "Invalid agreement document", "The document breaks a rule; errors names each field and rule."),

        // Votes and lifecycle
        new(AgreementErrorCodes.VoterNotStakeholder, 403, "Not a stakeholder", "Only a stakeholder agency's representative governs an agreement."),
        new(AgreementErrorCodes.DuplicateVote, 409, "Vote already cast", "The agency has already voted on this version."),
        new(AgreementErrorCodes.VoteNotAllowedNow, 409, "Vote not allowed now", "The agreement's state does not take this vote now."),
        new(AgreementErrorCodes.UnknownVersion, 409, "Unknown version", "The agreement has no such version."),
        new(AgreementErrorCodes.SuspensionNotAllowed, 409, "Suspension not allowed", "Only an agreement in force can be suspended."),
        new(AgreementErrorCodes.InvalidRenewal, 400, "Invalid renewal", "A renewal is the next version of a proposed agreement, expiring later."),
        new(AgreementErrorCodes.NoticeNotDue, 409, "No notice yet", "The agreement has not ended, so there is no termination or expiry notice."),
        new(AgreementErrorCodes.AgreementNotFound, 404, "Agreement not found", "No agreement has this id."),
        new(AgreementErrorCodes.UseRenewal, 409, "Use a renewal", "The agreement was proposed; a new version is a renewal."),
        new(AgreementErrorCodes.OverlapsAgreementInForce, 409, "Another agreement in force", "The partner has an approved agreement whose term overlaps; at most one is in force at an instant, so a new term is that agreement's renewal."),

        // Oversight
        new(OversightErrorCodes.NoAgreementToMeasure, 404, "No agreement to measure against", "The partner agency has no agreement whose row scope gives the benchmark population."),
        new(OversightErrorCodes.AlertNotFound, 404, "Alert not found", "No oversight alert has this id."),
        new(OversightErrorCodes.AlreadyAcknowledged, 409, "Alert already acknowledged", "Your agency has acknowledged this alert; its statement stands."),

        // The charter above every agreement: what it forbids is forbidden (403, errors name each charter rule); a
        // charter document is bad input; amendments out of turn conflict.
        Charter(CharterErrorCodes.QuorumInDocument, 403, "Quorum set by the charter"),
        Charter(CharterErrorCodes.TermTooLong, 403, "Term longer than the charter allows"),
        Charter(CharterErrorCodes.ReasonRequired, 403, "Charter requires a reason"),
        Charter(CharterErrorCodes.CaseNumberRequired, 403, "Charter requires a case number"),
        Charter(CharterErrorCodes.AdultsOnly, 403, "Charter shares adults only"),
        Charter(CharterErrorCodes.NeverShared, 403, "Field never shared under the charter"),
        Charter(CharterErrorCodes.MaskLimit, 403, "Mask weaker than the charter allows"),
        Charter(CharterErrorCodes.FieldForPartnerKind, 403, "Field not shared with this kind of partner"),
        Charter(CharterErrorCodes.PurposeForPartnerKind, 403, "Purpose not allowed for this kind of partner"),
        Charter(CharterErrorCodes.MalformedCharter, 400, "Malformed charter"),
        Charter(CharterErrorCodes.InvalidCharter, 400, "Invalid charter"),
        Charter(CharterErrorCodes.NoCharter, 403, "No charter in force"),
        Charter(CharterErrorCodes.NotAStakeholder, 403, "Not a charter stakeholder"),
        Charter(CharterErrorCodes.DuplicateVote, 409, "Amendment vote already cast"),
        Charter(CharterErrorCodes.NoOpenAmendment, 409, "No open amendment"),
        Charter(CharterErrorCodes.WrongVersion, 409, "Wrong charter version"),
        Charter(CharterErrorCodes.AmendmentOpen, 409, "Amendment already open"),
        Charter(CharterErrorCodes.AlreadyAdopted, 409, "Charter already adopted"),
        Charter(CharterErrorCodes.InvalidVote, 400, "Invalid amendment vote"),

        // Sign-in at the pages
        new(SignInErrorCodes.WrongPassword, 401, "Wrong user name or password", "The user name or the password is wrong; the failure counts towards the lockout."),
        new(SignInErrorCodes.LockedOut, 403, "Locked out", "Five consecutive failed sign-ins lock the account for 15 minutes; every attempt meanwhile is refused."),
        new(SignInErrorCodes.WrongCode, 401, "Wrong code", "The authenticator code or recovery code is wrong or expired; the failure counts towards the lockout."),
        new(SignInErrorCodes.CodeReplayed, 401, "Code already used", "This authenticator code was already used; wait for the next one."),
        new(SignInErrorCodes.SessionEnded, 401, "Session ended", "The page session ended (30 minutes idle, 12 hours after sign-in, or signed out); sign in again."),
        new(SignInErrorCodes.PasswordRule, 400, "Password rule", "A password has 12 to 256 characters."),
        new(SignInErrorCodes.NoPendingSignIn, 401, "Password step missing", "Send the password first; a passed password waits 5 minutes for its code."),
        new(SignInErrorCodes.NotEnrolled, 401, "Not enrolled for sign-in", "The account has no password or no second factor; its administrator sets an initial password and the user enrols a code."),
        new(SignInErrorCodes.SecondFactorUnreadable, 401, "Second factor unreadable", "The account's sealed TOTP secret does not open for it (sealed for another user, altered, or under another key); sign-in fails closed until an administrator resets the second factor."),
        new(SignInErrorCodes.SecondFactorKeyUnavailable, 503, "Second-factor key unavailable", "The TOTP key file beside the audit key is missing, readable by others, or not a key; no second factor is checked until the operator restores it from the data folder's backup."),
        new(PageErrorCodes.AntiforgeryFailed, 400, "Form not accepted", "The form's antiforgery token is missing or wrong (a form posted from another site, or an expired page); reload the page and send it again."),

        // Real-time feeds
        new(OpenPars.Core.Feeds.FeedErrorCodes.ResumeAheadOfLog, 400, "Resume point ahead of the log", "Last-Event-ID names a position the event log has not reached; resume from an id this server sent."),

        // Partner watches
        new(OpenPars.Core.Watches.WatchErrorCodes.WatchNotFound, 404, "Watch not found", "No watch of your agency has this id (another agency's watches are not yours to see or cancel)."),
        new(OpenPars.Core.Watches.WatchErrorCodes.ExpiryOutOfRange, 400, "Watch expiry out of range", "expiresAt must be in the future and no later than the agreement's expiry; leave it out to use the agreement's."),
        new(OpenPars.Core.Watches.WatchErrorCodes.WatchEnded, 409, "Watch already ended", "The watch was cancelled or has expired; there is nothing to cancel."),
        new(OpenPars.Core.Watches.WatchErrorCodes.InvalidWatch, 400, "Invalid watch", "A watch names one identified person: criteria, an object of search criteria and their values (arrestNumber, lastName with dateOfBirth, sid or fbiNumber)."),
        // Webhooks
        new(OpenPars.Core.Webhooks.WebhookErrorCodes.UrlRefused, 400, "Webhook url refused", "url must be an absolute https URL (http only for hosts the configuration lists), without user information or fragment."),
        new(OpenPars.Core.Webhooks.WebhookErrorCodes.AddressRefused, 400, "Webhook address refused", "The url's host is, or resolves to, a private, loopback, link-local or metadata address, which webhooks may not reach."),
        new(OpenPars.Core.Webhooks.WebhookErrorCodes.HostNotAllowed, 400, "Webhook host not allowed", "The url's host is not on the agency's allow list of webhook hosts (server configuration)."),
        new(OpenPars.Core.Webhooks.WebhookErrorCodes.EventKindRefused, 400, "Event kind refused", "eventKinds names a kind that is unknown, repeated, or not one the agency may subscribe to (a partner: partner-watch-matched; a stakeholder integration: its own desks' arrest events and the oversight alerts; a privacy officer's oversight endpoint: the oversight alerts)."),
        new(OpenPars.Core.Webhooks.WebhookErrorCodes.EndpointNotFound, 404, "Webhook endpoint not found", "No webhook endpoint with this id is visible to the caller."),
        new(OpenPars.Core.Webhooks.WebhookErrorCodes.DeliveryNotFound, 404, "Webhook delivery not found", "No webhook delivery with this id is visible to the caller."),
        new(OpenPars.Core.Webhooks.WebhookErrorCodes.RedeliveryRefused, 409, "Redelivery refused", "The delivery is still pending, was cancelled (a revocation is final), or its endpoint is disabled or deleted."),
        new(OpenPars.Core.Webhooks.WebhookErrorCodes.NoAgreementInForce, 403, "No agreement in force", "The partner agency has no active agreement: it may register no webhook."),
        new(OpenPars.Core.Webhooks.WebhookErrorCodes.TooManyEndpoints, 409, "Too many webhook endpoints", "The agency already has the most webhook endpoints allowed (10); delete one first."),
        new(OpenPars.Core.Webhooks.WebhookErrorCodes.AlertKindStakeholdersOnly, 403, "Alert kinds are for stakeholders", "eventKinds names an oversight alert kind (oversight-alert-raised, oversight-alert-acknowledged): alerts about partners go only to stakeholder agencies' endpoints, never to a partner's."),

        // Backup and restore (command line)
        new(OpenPars.Core.Backup.BackupErrorCodes.OlderThanPublished, 409, "Backup older than the published log", "The backup's tree is smaller than the last checkpoint the system published; restoring it would drop signed entries. Refused unless --force, which is audited."),
        new(OpenPars.Core.Backup.BackupErrorCodes.NotABackup, 400, "Not a valid backup", "The folder's manifest, file hash or signed checkpoint does not check out."),
        new(OpenPars.Core.Backup.BackupErrorCodes.Inconsistent, 409, "Backup inconsistent with the published log", "The backup's log does not extend the last published checkpoint (another root at its size): a fork."),
        new(OpenPars.Core.Backup.BackupErrorCodes.WrongProvider, 400, "Backup of another provider", "The backup was made on SQLite and is restored into PostgreSQL, or the reverse."),

        // Rate limits
        new(ErrorCodes.TooManyFailuresFromAddress, 429, "Too many failed credentials from this address", "The client address presented more failed credentials than the limit in the window; no credential from it is checked until Retry-After has passed."),
        new(ErrorCodes.TooManyFailuresForAccount, 429, "Too many failed credentials for this account", "The account's credentials failed more often than the limit in the window; further failures for it are refused until Retry-After has passed (a valid credential from an address in good standing still works)."),
        new(ErrorCodes.PartnerRateExceeded, 429, "Partner request rate exceeded", "The partner token sent more requests than its rate allows in the window (on top of the agreement's daily quota); retry after Retry-After."),

        // Server side
        new(ErrorCodes.Internal, 500, "Internal error", "The server failed; nothing was changed. The failure is audited and the trace id names it in the server log."),
        new(ErrorCodes.DatabaseUnavailable, 503, "Database unavailable", "The database is unreachable, read-only or full; nothing was changed. Retry after the Retry-After seconds; /healthz names the failing dependency, and service resumes by itself when the database is back."),
    ];

    private static ErrorDescription Charter(string code, int status, string title) =>
        new(code, status, title, CharterErrorCodes.TitleOf(code));

    private static readonly Dictionary<string, ErrorDescription> ByCode = Entries.ToDictionary(e => e.Code, StringComparer.Ordinal);

    public static IReadOnlyList<ErrorDescription> All => Entries;

    /// <summary>The code's description; an uncatalogued code is described as the internal error it is.</summary>
    public static ErrorDescription Describe(string code) =>
        ByCode.TryGetValue(code, out var description) ? description : ByCode[ErrorCodes.Internal];

    public static bool IsCatalogued(string code) => ByCode.ContainsKey(code);

    public static int StatusFor(string code) => Describe(code).Status;

    /// <summary><c>docs/errors.md</c>: the table above as Markdown.</summary>
    public static string ToMarkdown()
    {
        var lines = new List<string>
        {
            "# Error codes",
            "",
            "Every refusal carries one of these codes in the `code` member of its RFC 9457 problem answer, with the",
            "status and title below. Codes are stable: never reused or renumbered. This file is generated from",
            "`src/OpenPars.Core/Common/ErrorCatalogue.cs`; a test fails when they differ.",
            "",
            "| code | status | title | meaning |",
            "|---|---|---|---|",
        };
        lines.AddRange(Entries.OrderBy(e => e.Code, StringComparer.Ordinal)
            .Select(e => $"| `{e.Code}` | {e.Status} | {e.Title} | {e.Description} |"));
        return string.Join('\n', lines) + "\n";
    }
}
