using System.Net.Sockets;
using System.Text;
using Podwake.Activation;

namespace Podwake.Metrics;

/// <summary>
/// Answers one HTTP/1.x connection of a Prometheus scrape: <c>GET /metrics</c> (and HEAD) with the exposition, then
/// closes (<c>Connection: close</c>): the socket-activated <c>podwake metrics</c> serves one connection per process,
/// so between scrapes no podwake process runs. All a scraper needs, not a web server: no keep-alive, no body, a
/// bounded request head read within a bounded time.
/// </summary>
internal static class MetricsHttp
{
    /// <summary>A request head larger than this is refused (a scraper sends a few hundred bytes).</summary>
    public const int MaxRequestHead = 8 * 1024;

    /// <summary>A client that has not sent its request head by then is dropped (a slow or idle peer holds nothing long).</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(10);

    public static async Task ServeAsync(Socket connection, Func<CancellationToken, Task<IReadOnlyList<ServiceStatus>>> read, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(RequestTimeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            var head = await ReadHeadAsync(connection, linked.Token).ConfigureAwait(false);
            if (head is null)
            {
                await RespondAsync(connection, "400 Bad Request", "text/plain; charset=utf-8", "bad request\n"u8.ToArray(), true, linked.Token).ConfigureAwait(false);
                return;
            }

            var words = head.Split(' ');
            var (method, target) = (words[0], words.Length > 1 ? words[1] : "");
            var path = target.Split('?')[0];
            if (method is not ("GET" or "HEAD"))
            {
                await RespondAsync(connection, "405 Method Not Allowed", "text/plain; charset=utf-8", "only GET and HEAD\n"u8.ToArray(), true, linked.Token, "Allow: GET, HEAD\r\n").ConfigureAwait(false);
                return;
            }

            byte[]? body;
            try
            {
                body = path switch
                {
                    "/metrics" => await ExpositionAsync(read, time, linked.Token).ConfigureAwait(false),
                    "/" => "podwake: Prometheus metrics at /metrics\n"u8.ToArray(),
                    _ => null,
                };
            }
            catch (IOException ex)
            {
                await RespondAsync(connection, "503 Service Unavailable", "text/plain; charset=utf-8", Encoding.UTF8.GetBytes($"podwake: {ex.Message}\n"), method == "GET", linked.Token).ConfigureAwait(false);
                return;
            }

            await (body is null
                ? RespondAsync(connection, "404 Not Found", "text/plain; charset=utf-8", "not found: the metrics are at /metrics\n"u8.ToArray(), method == "GET", linked.Token)
                : RespondAsync(connection, "200 OK", path == "/metrics" ? PrometheusExposition.ContentType : "text/plain; charset=utf-8", body, method == "GET", linked.Token)).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            // The scraper went away or was too slow: nothing to answer.
        }
        finally
        {
            try
            {
                connection.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        }
    }

    private static async Task<byte[]> ExpositionAsync(Func<CancellationToken, Task<IReadOnlyList<ServiceStatus>>> read, TimeProvider time, CancellationToken cancellationToken)
    {
        var services = await read(cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await PrometheusExposition.WriteAsync(buffer, services, time.GetUtcNow(), cancellationToken).ConfigureAwait(false);
        return buffer.ToArray();
    }

    /// <summary>The request line of a well-formed head (up to the blank line); null when it is malformed or too large.</summary>
    private static async Task<string?> ReadHeadAsync(Socket connection, CancellationToken cancellationToken)
    {
        var buffer = new byte[MaxRequestHead];
        var length = 0;
        while (length < buffer.Length)
        {
            var read = await connection.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            if (read == 0)
            {
                return null;
            }

            length += read;

            // The blank line ends the head; a bare LF is taken for CRLF (RFC 9112, 2.2).
            var end = buffer.AsSpan(0, length).IndexOf("\n\r\n"u8) is var crlf and >= 0 ? crlf : buffer.AsSpan(0, length).IndexOf("\n\n"u8);
            if (end >= 0)
            {
                var line = Encoding.ASCII.GetString(buffer, 0, buffer.AsSpan(0, end + 1).IndexOf((byte)'\n')).TrimEnd('\r');
                var words = line.Split(' ');
                return words.Length == 3 && words[2].StartsWith("HTTP/1.", StringComparison.Ordinal) && words[1].StartsWith('/') ? line : null;
            }
        }

        return null;
    }

    private static async Task RespondAsync(Socket connection, string status, string contentType, byte[] body, bool withBody, CancellationToken cancellationToken, string extraHeaders = "")
    {
        var head = Encoding.ASCII.GetBytes(
            $"HTTP/1.1 {status}\r\nContent-Type: {contentType}\r\nContent-Length: {body.Length}\r\n{extraHeaders}Connection: close\r\n\r\n");
        await connection.SendAsync(head, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        if (withBody)
        {
            await connection.SendAsync(body, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        }
    }
}
