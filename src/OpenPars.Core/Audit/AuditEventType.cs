namespace OpenPars.Core.Audit;

/// <summary>
/// What an audit entry records. The numbers are stored in every entry and hashed into the log: they are
/// grouped by feature (1xxx arrests, 2xxx charging, 3xxx arraignment, 4xxx reference data, 5xxx
/// administration, 6xxx the audit log itself, 0xxx the HTTP layer, 7xxx agreements, 8xxx partner access, 9xxx bulk commands, 12xxx oversight)
/// and are never renumbered or reused.
/// </summary>
public enum AuditEventType
{
    /// <summary>A request to the API refused before any endpoint took it (no such route, a body type routing rejects).</summary>
    RequestRefused = 1,

    ArrestBooked = 1001,
    ArrestRead = 1002,
    ArrestsSearched = 1003,
    ArrestHistoryRead = 1004,
    ArrestCorrected = 1005,

    ChargingQueueRead = 2001,
    ChargingDecided = 2002,

    ArraignmentListRead = 3001,
    ArraignmentRecorded = 3002,

    StatutesRead = 4001,
    DistrictsRead = 4002,

    AgenciesListed = 5001,
    AgencyAdded = 5002,
    UsersListed = 5003,
    UserAdded = 5004,
    TokenCreated = 5005,
    TokenRevoked = 5006,
    RolesChanged = 5007,
    EnrolmentIssued = 5008,
    EnrolmentRedeemed = 5009,

    /// <summary>The tokens (and unredeemed enrolments) of the users an administrator administers listed, never their secrets.</summary>
    TokensListed = 5010,

    AuditEntriesRead = 6001,
    AuditCheckpointsRead = 6002,
    AuditInclusionProofRead = 6003,
    AuditConsistencyProofRead = 6004,
    AuditExported = 6005,

    /// <summary>Events moved from the tables of an older schema, bound to the log once, at the migration that moved them.</summary>
    EventsAdopted = 6006,

    AgreementDrafted = 7001,
    AgreementProposed = 7002,
    AgreementVoteCast = 7003,
    AgreementRenewalDrafted = 7004,
    AgreementSuspended = 7005,
    AgreementsListed = 7006,
    AgreementRead = 7007,
    AgreementNoticeRead = 7008,

    PartnerSearch = 8001,
    PartnerRead = 8002,
    PartnerAgreementRead = 8003,

    ArrestsSeeded = 9001,

    /// <summary>One batch of a bulk load: its arrests' events, bound to the log (the load as a whole is one 9001).</summary>
    ArrestsBatchWritten = 9002,

    /// <summary>The first charter, adopted from the data file on a store that had none.</summary>
    CharterAdopted = 10001,
    CharterAmendmentProposed = 10002,
    CharterAmendmentVoteCast = 10003,

    /// <summary>The charter in force and its history with votes, read by a stakeholder.</summary>
    CharterRead = 10004,

    /// <summary>An agency administrator's service account (a system, not a person) of their own agency.</summary>
    ServiceAccountAdded = 10005,

    /// <summary>A token minted by an agency administrator for a service account of their own agency.</summary>
    ServiceAccountTokenCreated = 10006,
    /// <summary>A desk stream opened (channel <c>stream</c>): the charging queue's, a day's arraignment list's, one arrest's timeline.</summary>
    ChargingQueueStreamOpened = 11001,
    ArraignmentListStreamOpened = 11002,
    ArrestStreamOpened = 11003,

    /// <summary>Events a stream delivered, committed before they are sent: the arrests they are about and their positions.</summary>
    StreamDelivered = 11004,

    /// <summary>A partner analyst registered a watch for one identified person (or was refused, with the rule).</summary>
    WatchRegistered = 11010,

    /// <summary>A partner analyst listed their agency's watches.</summary>
    WatchesListed = 11011,

    /// <summary>A partner analyst cancelled a watch of their agency (or was refused: another agency's id is a 404).</summary>
    WatchCancelled = 11012,

    /// <summary>The matcher found a watched person's arrest event: the match's event, appended with this entry.</summary>
    WatchMatched = 11013,

    /// <summary>A partner stream opened (channel <c>stream</c>; same headers as a search).</summary>
    PartnerStreamOpened = 11014,

    /// <summary>Watch matches a partner stream delivered, committed before they are sent.</summary>
    PartnerStreamDelivered = 11015,

    /// <summary>A privacy officer read every active watch of every partner.</summary>
    OversightWatchesRead = 11016,

    /// <summary>A partner stream closed because its agreement stopped (terminated, suspended, expired) or its token was revoked.</summary>
    PartnerStreamRevoked = 11017,
    /// <summary>A webhook endpoint registered (partner or stakeholder integration): its id, url, event kinds; never its secret.</summary>
    WebhookRegistered = 11030,

    /// <summary>An agency's webhook endpoints listed (records admins: every agency's).</summary>
    WebhooksListed = 11031,

    /// <summary>A webhook endpoint deleted by its agency; its pending deliveries are cancelled in the same transaction.</summary>
    WebhookDeleted = 11032,

    /// <summary>One endpoint's deliveries and attempts read.</summary>
    WebhookDeliveriesRead = 11033,

    /// <summary>A dead or delivered delivery put back on the schedule by hand.</summary>
    WebhookRedelivered = 11034,

    /// <summary>An attempt answered 2xx: the delivery is delivered (channel <c>webhook</c>).</summary>
    WebhookDelivered = 11035,

    /// <summary>An attempt failed (status, timeout, refused address): rescheduled, or dead after the schedule ends.</summary>
    WebhookDeliveryFailed = 11036,

    /// <summary>A delivery cancelled before an attempt, never sent: its agreement is no longer in force, its token or
    /// endpoint was revoked, disabled or deleted.</summary>
    WebhookDeliveryCancelled = 11037,

    /// <summary>An endpoint disabled because its receiver answered 410 Gone.</summary>
    WebhookEndpointDisabled = 11038,

    OversightUsageRead = 12001,
    OversightDisparityRead = 12002,
    OversightAlertsRead = 12003,
    OversightAlertAcknowledged = 12004,

    /// <summary>An oversight alert raised by the evaluator from proven partner looks (its event, stream oversight-alert).</summary>
    OversightAlertRaised = 12005,
    OversightReportRead = 12006,

    /// <summary>A transparency report folder published (<c>openpars report transparency</c>): its manifest's hash.</summary>
    TransparencyReportPublished = 12007,

    /// <summary>A transparency report folder checked against the log (<c>openpars report verify</c>).</summary>
    TransparencyReportVerified = 12008,

    /// <summary>The overseers' live alert stream opened (or refused); its batches are <see cref="StreamDelivered"/> entries.</summary>
    OversightAlertStreamOpened = 12010,

    /// <summary>The checkpoint signing key replaced by a new one (`openpars audit rotate-key`); the old public key is kept so its checkpoints still verify.</summary>
    AuditKeyRotated = 14051,

    /// <summary>The store copied to a backup folder (`openpars backup`), with the tree size and root the copy holds.</summary>
    StoreBackedUp = 14052,

    /// <summary>A backup restored over the store (`openpars restore`), recorded in the restored log.</summary>
    StoreRestored = 14053,

    /// <summary>A backup OLDER than the last published checkpoint restored with <c>--force</c>: entries the system had signed are gone.</summary>
    StoreRestoreForced = 14054,

    /// <summary>Sign-in at the pages, first factor: the password accepted (a code is now awaited) or refused.</summary>
    SignInPassword = 13001,

    /// <summary>Sign-in, second factor: the TOTP or recovery code accepted (a session opens) or refused.</summary>
    SignInCode = 13002,

    /// <summary>An account locked by the failure that reached the limit, or an attempt refused while locked.</summary>
    SignInLockedOut = 13003,

    /// <summary>A page session ended by its user.</summary>
    SignedOut = 13004,

    /// <summary>A page session found over (idle or past its maximum) when next presented.</summary>
    SessionEnded = 13005,

    /// <summary>A TOTP secret enrolled for a user (and their recovery codes issued, shown once).</summary>
    SecondFactorEnrolled = 13006,

    /// <summary>A user's password set (initial password by an administrator or the operator).</summary>
    PasswordSet = 13007,

    /// <summary>A user's password reset by another administrator: a new initial password, the lockout cleared, every
    /// page session of the user ended.</summary>
    PasswordReset = 13008,

    /// <summary>A user's second factor reset by another administrator: the TOTP secret and recovery codes cleared (the
    /// user enrols again at the next sign-in), every page session of the user ended.</summary>
    SecondFactorReset = 13009,

    /// <summary>A credential refused with 429 because its client address or account failed too often (rate-limited payload).</summary>
    AuthenticationThrottled = 14001,

    /// <summary>A partner request refused with 429 because its token exceeded the request rate (rate-limited payload).</summary>
    PartnerRateLimited = 14002,
}

public static class AuditEventTypes
{
    /// <summary>The stable dotted name stored beside the number, e.g. <c>arrest.booked</c>.</summary>
    public static string Name(AuditEventType type) => type switch
    {
        AuditEventType.RequestRefused => "request.refused",
        AuditEventType.ArrestBooked => "arrest.booked",
        AuditEventType.ArrestRead => "arrest.read",
        AuditEventType.ArrestsSearched => "arrest.searched",
        AuditEventType.ArrestHistoryRead => "arrest.history-read",
        AuditEventType.ArrestCorrected => "arrest.corrected",
        AuditEventType.ChargingQueueRead => "charging.queue-read",
        AuditEventType.ChargingDecided => "charging.decided",
        AuditEventType.ArraignmentListRead => "arraignment.list-read",
        AuditEventType.ArraignmentRecorded => "arraignment.recorded",
        AuditEventType.StatutesRead => "reference.statutes-read",
        AuditEventType.DistrictsRead => "reference.districts-read",
        AuditEventType.AgenciesListed => "admin.agencies-listed",
        AuditEventType.AgencyAdded => "admin.agency-added",
        AuditEventType.UsersListed => "admin.users-listed",
        AuditEventType.UserAdded => "admin.user-added",
        AuditEventType.TokenCreated => "admin.token-created",
        AuditEventType.TokenRevoked => "admin.token-revoked",
        AuditEventType.RolesChanged => "admin.roles-changed",
        AuditEventType.EnrolmentIssued => "admin.enrolment-issued",
        AuditEventType.EnrolmentRedeemed => "admin.enrolment-redeemed",
        AuditEventType.TokensListed => "admin.tokens-listed",
        AuditEventType.AuditEntriesRead => "audit.entries-read",
        AuditEventType.AuditCheckpointsRead => "audit.checkpoints-read",
        AuditEventType.AuditInclusionProofRead => "audit.inclusion-proof-read",
        AuditEventType.AuditConsistencyProofRead => "audit.consistency-proof-read",
        AuditEventType.AuditExported => "audit.exported",
        AuditEventType.EventsAdopted => "audit.events-adopted",
        AuditEventType.AgreementDrafted => "agreement.drafted",
        AuditEventType.AgreementProposed => "agreement.proposed",
        AuditEventType.AgreementVoteCast => "agreement.vote-cast",
        AuditEventType.AgreementRenewalDrafted => "agreement.renewal-drafted",
        AuditEventType.AgreementSuspended => "agreement.suspended",
        AuditEventType.AgreementsListed => "agreement.listed",
        AuditEventType.AgreementRead => "agreement.read",
        AuditEventType.AgreementNoticeRead => "agreement.notice-read",
        AuditEventType.PartnerSearch => "partner.search",
        AuditEventType.PartnerRead => "partner.read",
        AuditEventType.PartnerAgreementRead => "partner.agreement-read",
        AuditEventType.ArrestsSeeded => "bulk.arrests-seeded",
        AuditEventType.ArrestsBatchWritten => "bulk.arrests-written",
        AuditEventType.CharterAdopted => "charter.adopted",
        AuditEventType.CharterAmendmentProposed => "charter.amendment-proposed",
        AuditEventType.CharterAmendmentVoteCast => "charter.amendment-vote-cast",
        AuditEventType.CharterRead => "charter.read",
        AuditEventType.ServiceAccountAdded => "admin.service-account-added",
        AuditEventType.ServiceAccountTokenCreated => "admin.service-account-token-created",
        AuditEventType.ChargingQueueStreamOpened => "feeds.charging-queue-opened",
        AuditEventType.ArraignmentListStreamOpened => "feeds.arraignment-list-opened",
        AuditEventType.ArrestStreamOpened => "feeds.arrest-opened",
        AuditEventType.StreamDelivered => "feeds.delivered",
        AuditEventType.WatchRegistered => "watches.registered",
        AuditEventType.WatchesListed => "watches.listed",
        AuditEventType.WatchCancelled => "watches.cancelled",
        AuditEventType.WatchMatched => "watches.matched",
        AuditEventType.PartnerStreamOpened => "watches.stream-opened",
        AuditEventType.PartnerStreamDelivered => "watches.stream-delivered",
        AuditEventType.OversightWatchesRead => "watches.oversight-read",
        AuditEventType.PartnerStreamRevoked => "watches.stream-revoked",
        AuditEventType.WebhookRegistered => "webhooks.registered",
        AuditEventType.WebhooksListed => "webhooks.listed",
        AuditEventType.WebhookDeleted => "webhooks.deleted",
        AuditEventType.WebhookDeliveriesRead => "webhooks.deliveries-read",
        AuditEventType.WebhookRedelivered => "webhooks.redelivered",
        AuditEventType.WebhookDelivered => "webhooks.delivered",
        AuditEventType.WebhookDeliveryFailed => "webhooks.delivery-failed",
        AuditEventType.WebhookDeliveryCancelled => "webhooks.delivery-cancelled",
        AuditEventType.WebhookEndpointDisabled => "webhooks.endpoint-disabled",
        AuditEventType.OversightUsageRead => "oversight.usage-read",
        AuditEventType.OversightDisparityRead => "oversight.disparity-read",
        AuditEventType.OversightAlertsRead => "oversight.alerts-read",
        AuditEventType.OversightAlertAcknowledged => "oversight.alert-acknowledged",
        AuditEventType.OversightAlertRaised => "oversight.alert-raised",
        AuditEventType.OversightReportRead => "oversight.report-read",
        AuditEventType.TransparencyReportPublished => "transparency.report-published",
        AuditEventType.TransparencyReportVerified => "transparency.report-verified",
        AuditEventType.OversightAlertStreamOpened => "oversight.alert-stream-opened",
        AuditEventType.AuditKeyRotated => "audit.key-rotated",
        AuditEventType.StoreBackedUp => "store.backed-up",
        AuditEventType.StoreRestored => "store.restored",
        AuditEventType.StoreRestoreForced => "store.restore-forced",
        AuditEventType.SignInPassword => "sign-in.password",
        AuditEventType.SignInCode => "sign-in.code",
        AuditEventType.SignInLockedOut => "sign-in.locked-out",
        AuditEventType.SignedOut => "sign-in.signed-out",
        AuditEventType.SessionEnded => "sign-in.session-ended",
        AuditEventType.SecondFactorEnrolled => "sign-in.second-factor-enrolled",
        AuditEventType.PasswordSet => "sign-in.password-set",
        AuditEventType.PasswordReset => "sign-in.password-reset",
        AuditEventType.SecondFactorReset => "sign-in.second-factor-reset",
        AuditEventType.AuthenticationThrottled => "auth.throttled",
        AuditEventType.PartnerRateLimited => "partner.rate-limited",
        _ => throw new ArgumentOutOfRangeException(nameof(type), type, "Every event type needs a stable name."),
    };
}
