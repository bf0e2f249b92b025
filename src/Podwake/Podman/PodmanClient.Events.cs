using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Podwake.Podman;

/// <summary>The container event stream.</summary>
internal sealed partial class PodmanClient
{
    private static readonly string ContainerEventsPath =
        "events?stream=true&filters=" + Uri.EscapeDataString("{\"type\":[\"container\"]}");

    /// <summary>Container events from now on; see <see cref="StreamEventsAsync(DateTimeOffset?, CancellationToken)"/>.</summary>
    public IAsyncEnumerable<PodmanEvent> StreamEventsAsync(CancellationToken cancellationToken) =>
        StreamEventsAsync(null, cancellationToken);

    /// <summary>
    /// Container events (GET events?stream=true, one JSON object per line) until <paramref name="cancellationToken"/>
    /// is cancelled; ends with <see cref="PodmanUnavailableException"/> if podman goes away.
    /// Nothing tells when podman has subscribed (it sends the headers at once, but reads its event log
    /// asynchronously): pass <paramref name="since"/> = a time taken before the actions whose events must not be
    /// missed, and podman replays the log from then.
    /// </summary>
    public async IAsyncEnumerable<PodmanEvent> StreamEventsAsync(
        DateTimeOffset? since, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const string operation = "read podman's event stream";
        var path = ContainerEventsPath;
        if (since is { } from)
        {
            // podman parses "seconds.nanoseconds" as a Unix time.
            var ticks = (from - DateTimeOffset.UnixEpoch).Ticks;
            path += FormattableString.Invariant($"&since={ticks / TimeSpan.TicksPerSecond}.{ticks % TimeSpan.TicksPerSecond * 100:D9}");
        }

        using var response = await SendAsync(HttpMethod.Get, path, null, operation, cancellationToken,
            Timeout.InfiniteTimeSpan, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        await EnsureSuccessAsync(response, operation, cancellationToken).ConfigureAwait(false);
        await foreach (var line in ReadLinesAsync(response, operation, cancellationToken).ConfigureAwait(false))
        {
            var item = JsonSerializer.Deserialize(line, PodmanJsonContext.Default.PodmanEvent);
            if (item is not null)
            {
                yield return item;
            }
        }

        throw new PodmanUnavailableException($"Failed to {operation}: podman at {SocketPath} closed the stream.");
    }
}
