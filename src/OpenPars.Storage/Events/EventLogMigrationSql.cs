namespace OpenPars.Storage.Events;

/// <summary>
/// The data steps of the migration <c>EventLog</c> (one per provider, the same SQL on SQLite and PostgreSQL). Frozen
/// with that migration: a later change to the model gets a migration of its own, never an edit here.
/// </summary>
public static class EventLogMigrationSql
{
    /// <summary>
    /// Moves every row of <c>arrest_events</c> and <c>agreement_events</c> into <c>events</c>, positions 1…N without a
    /// gap, in the order they were recorded: by time, where a stream's time is never earlier than its previous event's
    /// (a running maximum, so each stream keeps its version order even if a clock stepped back), then table, then the
    /// old id (insertion order). The rows arrive unbound; <see cref="EventAdoption"/> binds them at first start.
    /// </summary>
    public const string MoveRowsUp = """
        INSERT INTO events (position, stream_type, stream_id, version, type, body, recorded_at, user_id, agency_code, audit_index, hash)
        SELECT ROW_NUMBER() OVER (ORDER BY t.sort_at, t.source, t.id), t.stream_type, t.stream_id, t.version, t.type, t.body, t.recorded_at, t.user_id, t.agency_code, NULL, NULL
        FROM (
            SELECT s.*, MAX(s.recorded_at) OVER (PARTITION BY s.source, s.stream_id ORDER BY s.version ROWS UNBOUNDED PRECEDING) AS sort_at
            FROM (
                SELECT 0 AS source, e.id, 'arrest' AS stream_type, a.arrest_number AS stream_id, e.sequence AS version, e.type, e.payload AS body,
                       e.recorded_at, e.user_id, e.agency_code
                FROM arrest_events e JOIN arrests a ON a.id = e.arrest_id
                UNION ALL
                SELECT 1, e.id, 'agreement', g.agreement_id, e.sequence, e.type, e.payload, e.recorded_at, e.user_id, e.agency_code
                FROM agreement_events e JOIN agreements g ON g.id = e.agreement_row_id
            ) s
        ) t;
        INSERT INTO counters (name, value) SELECT 'event-position', COUNT(*) FROM events HAVING COUNT(*) > 0;
        INSERT INTO counters (name, value) SELECT 'event-legacy-through', COUNT(*) FROM events HAVING COUNT(*) > 0;
        """;

    /// <summary>Back to the two tables (their ids renumbered in position order); the bindings are lost.</summary>
    public const string MoveRowsDown = """
        INSERT INTO arrest_events (arrest_id, sequence, type, recorded_at, user_id, agency_code, payload)
        SELECT a.id, e.version, e.type, e.recorded_at, e.user_id, e.agency_code, e.body
        FROM events e JOIN arrests a ON a.arrest_number = e.stream_id WHERE e.stream_type = 'arrest' ORDER BY e.position;
        INSERT INTO agreement_events (agreement_row_id, sequence, type, recorded_at, user_id, agency_code, payload)
        SELECT g.id, e.version, e.type, e.recorded_at, e.user_id, e.agency_code, e.body
        FROM events e JOIN agreements g ON g.agreement_id = e.stream_id WHERE e.stream_type = 'agreement' ORDER BY e.position;
        DELETE FROM counters WHERE name IN ('event-position', 'event-legacy-through');
        """;

    /// <summary>
    /// SQLite keeps instants as UTC ticks (100 ns), and entries written before this migration kept the clock's ticks in
    /// <c>audit_entries.recorded_at</c> while their bytes say the time to the microsecond. The column is derived from the
    /// bytes (and now written as such): truncate the old values to what the bytes say. PostgreSQL always kept
    /// microseconds (Npgsql truncates), so it needs nothing.
    /// </summary>
    public const string SqliteRecordedAtToMicroseconds = "UPDATE audit_entries SET recorded_at = recorded_at - (recorded_at % 10);";
}
