using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Podwake.Podman;

/// <summary>The container event stream.</summary>
internal sealed partial class PodmanClient
{
    private static readonly string ContainerEventsPath =
        "events?stream=true&filters=" + Uri.EscapeDataString("{\"type\":[\"container\"]}");

    /// <summary>
    /// Container events from now on (GET events?stream=true, one JSON object per line) until
    /// <paramref name="cancellationToken"/> is cancelled. Ends with <see cref="PodmanUnavailableException"/> if
    /// podman goes away. podman sends the response headers at once, so the stream is live when the first
    /// MoveNextAsync has returned or is pending.
    /// </summary>
    public async IAsyncEnumerable<PodmanEvent> StreamEventsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        const string operation = "read podman's event stream";
        using var response = await SendAsync(HttpMethod.Get, ContainerEventsPath, null, operation, cancellationToken,
            Timeout.InfiniteTimeSpan, HttpCompletionOption.ResponseHeadersRead).ConfigureAwait(false);
        await EnsureSuccessAsync(response, operation, cancellationToken).ConfigureAwait(false);
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        while (true)
        {
            string? line;
            try
            {
                line = await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
            {
                throw Unreachable(operation, e);
            }

            if (line is null)
            {
                throw new PodmanUnavailableException($"Failed to {operation}: podman at {SocketPath} closed the stream.");
            }

            if (line.Length == 0)
            {
                continue;
            }

            var item = JsonSerializer.Deserialize(line, PodmanJsonContext.Default.PodmanEvent);
            if (item is not null)
            {
                yield return item;
            }
        }
    }
}
