using Npgsql;

namespace OpenPars.Storage.Postgres;

/// <summary>
/// Wakes this process's feed dispatcher when any process commits events to the same PostgreSQL database:
/// <c>LISTEN openpars_events</c> on a connection of its own (<see cref="PostgresOpenParsDbContext.EventsCommittedNotification"/>
/// is the NOTIFY, sent inside the appending transaction, so it arrives only after commit). A notification carries a
/// position, never data; the dispatcher reads the events from the table. A broken connection is re-opened after a
/// pause; meanwhile the dispatcher's polling covers.
/// </summary>
public static class PostgresEventWakeUp
{
    /// <summary>Listens until <paramref name="stop"/>: calls <paramref name="wake"/> on every notification and
    /// <paramref name="failed"/> when the connection breaks (then listens again after a pause).</summary>
    public static async Task ListenAsync(string connectionString, Action wake, Action<Exception> failed, CancellationToken stop)
    {
        ArgumentNullException.ThrowIfNull(wake);
        ArgumentNullException.ThrowIfNull(failed);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false, KeepAlive = 30 }.ConnectionString);
                await connection.OpenAsync(stop);
                connection.Notification += (_, _) => wake();
                await using (var listen = new NpgsqlCommand($"LISTEN {PostgresOpenParsDbContext.EventsChannel}", connection))
                {
                    await listen.ExecuteNonQueryAsync(stop);
                }

                // Anything committed while we were not listening is picked up by this wake-up's read.
                wake();
                while (!stop.IsCancellationRequested)
                {
                    await connection.WaitAsync(stop);
                }
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e) when (e is NpgsqlException or System.IO.IOException or TimeoutException)
            {
                failed(e);
                await Task.Delay(TimeSpan.FromSeconds(1), stop).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }
}
