using System.Net;
using System.Net.Sockets;
using System.Text;
using Podwake.Activation;
using Podwake.Metrics;
using Xunit;

namespace Podwake.Tests.Metrics;

public sealed class MetricsHttpTests
{
    [Fact]
    public async Task GetMetrics_AnswersTheExpositionAndCloses()
    {
        var (head, body) = await AskAsync("GET /metrics HTTP/1.1\r\nHost: x\r\nAccept: text/plain\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 200 OK\r\n", head, StringComparison.Ordinal);
        Assert.Contains("Content-Type: text/plain; version=0.0.4; charset=utf-8\r\n", head, StringComparison.Ordinal);
        Assert.Contains("Connection: close\r\n", head, StringComparison.Ordinal);
        Assert.Contains($"Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n", head, StringComparison.Ordinal);
        Assert.Contains("podwake_wakes_total{service=\"web\"} 0", body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("HEAD /metrics HTTP/1.1\r\n\r\n", "HTTP/1.1 200 OK", false)]
    [InlineData("GET /other HTTP/1.1\r\n\r\n", "HTTP/1.1 404 Not Found", true)]
    [InlineData("POST /metrics HTTP/1.1\r\n\r\n", "HTTP/1.1 405 Method Not Allowed", true)]
    [InlineData("GARBAGE\r\n\r\n", "HTTP/1.1 400 Bad Request", true)]
    [InlineData("GET /metrics HTTP/1.1\r\nHost: x\r\n", "HTTP/1.1 400 Bad Request", true)]
    public async Task OtherRequests_GetTheirStatus(string request, string statusLine, bool withBody)
    {
        var (head, body) = await AskAsync(request, halfClose: true);

        Assert.StartsWith(statusLine + "\r\n", head, StringComparison.Ordinal);
        Assert.Equal(withBody, body.Length > 0);
    }

    [Fact]
    public async Task AnOversizedHead_IsRefused()
    {
        var (head, _) = await AskAsync("GET /metrics HTTP/1.1\r\nX: " + new string('a', MetricsHttp.MaxRequestHead) + "\r\n\r\n");

        Assert.StartsWith("HTTP/1.1 400 Bad Request\r\n", head, StringComparison.Ordinal);
    }

    private static async Task<(string Head, string Body)> AskAsync(string request, bool halfClose = false)
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!);
        using var server = await listener.AcceptAsync();
        var serving = MetricsHttp.ServeAsync(server, _ => Task.FromResult<IReadOnlyList<ServiceStatus>>([new ServiceStatus { Name = "web", State = ServiceState.Dormant }]),
            TimeProvider.System, CancellationToken.None);
        try
        {
            await client.SendAsync(Encoding.ASCII.GetBytes(request));
        }
        catch (SocketException)
        {
            // An oversized head: the server may answer and close before all of it is sent.
        }

        if (halfClose)
        {
            client.Shutdown(SocketShutdown.Send);
        }

        await serving;
        using var response = new MemoryStream();
        var buffer = new byte[16384];
        int read;
        while ((read = await client.ReceiveAsync(buffer)) > 0)
        {
            response.Write(buffer, 0, read);
        }

        var text = Encoding.UTF8.GetString(response.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (text[..(split + 4)], text[(split + 4)..]);
    }
}
