using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// One HTTP/1.0 GET on a fresh connection, reporting exactly how it ended: the tests must tell a
/// refused or reset connection from a clean close.
/// </summary>
internal static class RawHttp
{
    public static async Task<HttpOutcome> GetAsync(IPEndPoint endpoint, string path = "/", TimeSpan? timeout = null)
    {
        using var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(60));
        try
        {
            await socket.ConnectAsync(endpoint, cts.Token);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionRefused)
        {
            return new HttpOutcome(HttpOutcomeKind.Refused, 0, "");
        }

        try
        {
            await socket.SendAsync(Encoding.ASCII.GetBytes($"GET {path} HTTP/1.0\r\nHost: test\r\n\r\n"), SocketFlags.None, cts.Token);
            var response = new MemoryStream();
            var buffer = new byte[8192];
            int read;
            while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None, cts.Token)) > 0)
            {
                response.Write(buffer, 0, read);
            }

            var text = Encoding.UTF8.GetString(response.ToArray());
            if (text.Length == 0)
            {
                return new HttpOutcome(HttpOutcomeKind.ClosedWithoutResponse, 0, "");
            }

            var status = int.Parse(text.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture);
            var bodyStart = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
            return new HttpOutcome(HttpOutcomeKind.Response, status, bodyStart < 0 ? "" : text[(bodyStart + 4)..]);
        }
        catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
        {
            return new HttpOutcome(HttpOutcomeKind.Reset, 0, "");
        }
        catch (OperationCanceledException)
        {
            return new HttpOutcome(HttpOutcomeKind.TimedOut, 0, "");
        }
    }
}

internal enum HttpOutcomeKind
{
    Response,
    Refused,
    Reset,
    ClosedWithoutResponse,
    TimedOut,
}

internal sealed record HttpOutcome(HttpOutcomeKind Kind, int Status, string Body)
{
    public override string ToString() => Kind == HttpOutcomeKind.Response ? $"HTTP {Status}" : Kind.ToString();
}
