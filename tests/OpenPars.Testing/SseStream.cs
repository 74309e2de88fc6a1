using System.Net;
using System.Net.ServerSentEvents;

namespace OpenPars.Testing;

/// <summary>
/// A test's client of one Server-Sent Events stream, read with the BCL's <see cref="SseParser"/> (what any client
/// library does): open it, then take the events it sends, heartbeats skipped unless asked for.
/// <code>
/// await using var stream = await SseStream.OpenAsync(client, "/api/v1/streams/charging-queue");
/// var booked = await stream.NextAsync();
/// </code>
/// </summary>
public sealed class SseStream : IAsyncDisposable
{
    public const string Heartbeat = "heartbeat";

    private readonly HttpResponseMessage _response;
    private readonly IAsyncEnumerator<SseItem<string>> _items;
    private Task<bool>? _pending;

    private SseStream(HttpResponseMessage response, IAsyncEnumerator<SseItem<string>> items)
    {
        _response = response;
        _items = items;
    }

    public HttpResponseMessage Response => _response;

    /// <summary>Opens the stream; the answer is checked by the caller (<see cref="Response"/>): a refusal is a problem, not a stream.</summary>
    public static async Task<SseStream> OpenAsync(HttpClient client, string path, string? lastEventId = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd("text/event-stream");
        if (lastEventId is not null)
        {
            request.Headers.TryAddWithoutValidation("Last-Event-ID", lastEventId);
        }

        return await OpenAsync(client, request, ct);
    }

    /// <summary>Opens the stream with a request of the caller's making (headers of its own: the partner stream's).</summary>
    public static async Task<SseStream> OpenAsync(HttpClient client, HttpRequestMessage request, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(client);
        var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return new SseStream(response, AsyncEnumerable.Empty<SseItem<string>>().GetAsyncEnumerator(ct));
        }

        var body = await response.Content.ReadAsStreamAsync(ct);
        return new SseStream(response, SseParser.Create(body).EnumerateAsync(ct).GetAsyncEnumerator(ct));
    }

    /// <summary>The next item, or null when the stream ended; heartbeats skipped unless <paramref name="heartbeats"/>.
    /// Fails after <paramref name="timeout"/> (default 30 s) with nothing sent.</summary>
    public async Task<SseItem<string>?> NextAsync(TimeSpan? timeout = null, bool heartbeats = false)
    {
        while (true)
        {
            var next = _pending = _items.MoveNextAsync().AsTask();
            if (await Task.WhenAny(next, Task.Delay(timeout ?? TimeSpan.FromSeconds(30))) != next)
            {
                // Closing the connection ends the pending read, so disposing the stream afterwards cannot hang.
                _response.Dispose();
                throw new TimeoutException("The stream sent nothing in time.");
            }

            _pending = null;
            if (!await next)
            {
                return null;
            }

            if (heartbeats || _items.Current.EventType != Heartbeat)
            {
                return _items.Current;
            }
        }
    }

    /// <summary>The next <paramref name="count"/> events (heartbeats skipped); fails if the stream ends first.</summary>
    public async Task<IReadOnlyList<SseItem<string>>> TakeAsync(int count, TimeSpan? timeout = null)
    {
        var items = new List<SseItem<string>>();
        while (items.Count < count)
        {
            items.Add(await NextAsync(timeout) ?? throw new InvalidOperationException($"The stream ended after {items.Count} of {count} events."));
        }

        return items;
    }

    public async ValueTask DisposeAsync()
    {
        _response.Dispose();
        try
        {
            if (_pending is not null)
            {
                await _pending;
            }

            await _items.DisposeAsync();
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or HttpRequestException or ObjectDisposedException or InvalidOperationException)
        {
            // The connection is closed under the reader: that is what disposing a stream means.
        }
    }
}
