using System.Runtime.CompilerServices;

namespace Podwake.Podman;

/// <summary>The endpoints that stream one JSON object per line (events, image pulls).</summary>
internal sealed partial class PodmanClient
{
    /// <summary>
    /// The non-empty lines of a streamed response body, as they come, until podman closes it; a broken socket is a
    /// <see cref="PodmanUnavailableException"/> naming <paramref name="operation"/>.
    /// </summary>
    private async IAsyncEnumerable<string> ReadLinesAsync(
        HttpResponseMessage response, string operation, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
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
                yield break;
            }

            if (line.Length > 0)
            {
                yield return line;
            }
        }
    }
}
