using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace Podwake.Podman;

/// <summary>A container's output, for explaining why it exited.</summary>
internal sealed partial class PodmanClient
{
    /// <summary>
    /// GET containers/{id}/logs?stdout&amp;stderr&amp;tail=N: the last <paramref name="lines"/> lines the container printed,
    /// both streams in order; with <paramref name="since"/> (a run's StartedAt) only that run's, not earlier runs' too. Without a tty podman frames each chunk as the Docker API does (1 byte stream, 3 zero bytes,
    /// 4 bytes big-endian length, then the bytes).
    /// </summary>
    public async Task<IReadOnlyList<string>> TailLogsAsync(string id, int lines, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        var operation = $"read the logs of container {id}";
        var path = $"containers/{Escape(id)}/logs?stdout=true&stderr=true&tail={lines.ToString(CultureInfo.InvariantCulture)}";
        if (since is { } start && start.Year > 1)
        {
            path += "&since=" + Escape(start.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
        }

        using var response = await SendAsync(HttpMethod.Get, path, null, operation, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, operation, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        return SplitLines(Demultiplex(bytes), lines);
    }

    /// <summary>
    /// GET containers/{id}/logs?stdout&amp;stderr: everything the container printed, each stream apart (a side-car's
    /// foreground call passes them back to its caller as they were), at most <paramref name="maxBytes"/> of each.
    /// </summary>
    public async Task<(byte[] Stdout, byte[] Stderr)> ReadOutputAsync(string id, int maxBytes, CancellationToken cancellationToken)
    {
        var operation = $"read the output of container {id}";
        using var response = await SendAsync(HttpMethod.Get, $"containers/{Escape(id)}/logs?stdout=true&stderr=true", null, operation, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, operation, cancellationToken).ConfigureAwait(false);
        var bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        using var stdout = new MemoryStream();
        using var stderr = new MemoryStream();
        var rest = bytes.AsSpan();
        if (!(rest.Length >= 8 && rest[0] <= 2 && rest[1] == 0 && rest[2] == 0 && rest[3] == 0))
        {
            // A tty container: one stream.
            stdout.Write(rest[..Math.Min(rest.Length, maxBytes)]);
        }

        while (rest.Length >= 8 && rest[0] <= 2 && rest[1] == 0 && rest[2] == 0 && rest[3] == 0)
        {
            var length = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(rest[4..8]), (uint)(rest.Length - 8));
            var target = rest[0] == 2 ? stderr : stdout;
            target.Write(rest.Slice(8, (int)Math.Min(length, Math.Max(0, maxBytes - target.Length))));
            rest = rest[(8 + length)..];
        }

        return (stdout.ToArray(), stderr.ToArray());
    }

    /// <summary>The payload of Docker-style frames; text that is not framed (a tty container) is returned as it is.</summary>
    internal static string Demultiplex(ReadOnlySpan<byte> bytes)
    {
        var text = new StringBuilder();
        var rest = bytes;
        while (rest.Length >= 8 && rest[0] <= 2 && rest[1] == 0 && rest[2] == 0 && rest[3] == 0)
        {
            var length = (int)Math.Min(BinaryPrimitives.ReadUInt32BigEndian(rest[4..8]), (uint)(rest.Length - 8));
            text.Append(Encoding.UTF8.GetString(rest.Slice(8, length)));
            rest = rest[(8 + length)..];
        }

        return rest.Length == bytes.Length ? Encoding.UTF8.GetString(bytes) : text.Append(Encoding.UTF8.GetString(rest)).ToString();
    }

    internal static IReadOnlyList<string> SplitLines(string text, int lines)
    {
        var all = text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n').Split('\n');
        return text.Length == 0 ? [] : all[Math.Max(0, all.Length - lines)..];
    }
}
