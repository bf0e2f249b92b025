using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Podwake.Activation;

/// <summary>
/// The <c>ready: { http: /path }</c> check: one HTTP/1.0 GET, healthy on a 2xx or 3xx status line.
/// A plain request on a socket, not HttpClient: a probe must not keep pooled connections open to
/// a container that is about to be stopped (they would count against idleness).
/// </summary>
internal static class HttpProbe
{
    public static async Task<bool> IsHealthyAsync(Socket socket, IPEndPoint endpoint, string path, TimeSpan timeout, TimeProvider time, CancellationToken cancellationToken)
    {
        using var owned = socket;
        using var deadline = new CancellationTokenSource(timeout, time);
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            await socket.ConnectAsync(endpoint, limit.Token).ConfigureAwait(false);
            var request = Encoding.ASCII.GetBytes($"GET {path} HTTP/1.0\r\nHost: {endpoint}\r\nUser-Agent: podwake-probe\r\nConnection: close\r\n\r\n");
            await socket.SendAsync(request, SocketFlags.None, limit.Token).ConfigureAwait(false);
            var buffer = new byte[64];
            var filled = 0;
            while (filled < 12)
            {
                var read = await socket.ReceiveAsync(buffer.AsMemory(filled), SocketFlags.None, limit.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                filled += read;
            }

            return IsHealthyStatusLine(Encoding.ASCII.GetString(buffer, 0, filled));
        }
        catch (SocketException)
        {
            return false;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>"HTTP/1.1 204 No Content" → true; 4xx, 5xx and garbage → false.</summary>
    internal static bool IsHealthyStatusLine(string head) =>
        head.StartsWith("HTTP/", StringComparison.Ordinal)
        && head.IndexOf(' ', StringComparison.Ordinal) is var space and > 0
        && head.Length > space + 1
        && head[space + 1] is '2' or '3';
}
