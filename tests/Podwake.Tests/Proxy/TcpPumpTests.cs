using System.Net;
using System.Net.Sockets;
using System.Text;
using Podwake.Proxy;
using Xunit;

namespace Podwake.Tests.Proxy;

/// <summary>
/// The TCP copy loop on real loopback connections: a client app talks to the proxy's client socket, the proxy's backend
/// socket talks to a backend app, and <see cref="TcpPump"/> copies between the two proxy sockets.
/// </summary>
public sealed class TcpPumpTests : IDisposable
{
    private static readonly TimeSpan Limit = TimeSpan.FromSeconds(10);

    private readonly Socket _clientApp;
    private readonly Socket _proxyClient;
    private readonly Socket _proxyBackend;
    private readonly Socket _backendApp;

    public TcpPumpTests()
    {
        (_clientApp, _proxyClient) = ConnectedPair();
        (_proxyBackend, _backendApp) = ConnectedPair();
    }

    [Fact]
    public async Task BothDirections_CopyEveryByte()
    {
        var pump = TcpPump.RunAsync(_proxyClient, _proxyBackend, CancellationToken.None);
        var request = new byte[300_000];
        Random.Shared.NextBytes(request);

        var sent = SendAndShutDownAsync(_clientApp, request);
        var atBackend = await ReadToEndAsync(_backendApp);
        await sent;
        await SendAndShutDownAsync(_backendApp, "pong"u8.ToArray());
        var atClient = await ReadToEndAsync(_clientApp);
        var result = await pump.WaitAsync(Limit);

        Assert.Equal(request, atBackend);
        Assert.Equal("pong", Encoding.ASCII.GetString(atClient));
        Assert.True(result.Succeeded, $"failed: {result.Failed} {result.Error}");
        Assert.Equal(request.Length, result.BytesToBackend);
        Assert.Equal(4, result.BytesToClient);
    }

    [Fact]
    public async Task ClientHalfCloses_BackendSeesEndOfStreamAndItsReplyStillArrives()
    {
        var pump = TcpPump.RunAsync(_proxyClient, _proxyBackend, CancellationToken.None);

        await SendAndShutDownAsync(_clientApp, "request"u8.ToArray());
        // The backend answers only once it saw the end of the request: the proxy must pass the half-close on.
        var request = await ReadToEndAsync(_backendApp);
        await SendAndShutDownAsync(_backendApp, "reply"u8.ToArray());
        var reply = await ReadToEndAsync(_clientApp);
        var result = await pump.WaitAsync(Limit);

        Assert.Equal("request", Encoding.ASCII.GetString(request));
        Assert.Equal("reply", Encoding.ASCII.GetString(reply));
        Assert.True(result.Succeeded, $"failed: {result.Failed} {result.Error}");
        Assert.Equal((7, 5), (result.BytesToBackend, result.BytesToClient));
    }

    [Fact]
    public async Task BackendHalfCloses_ClientSeesEndOfStreamAndCanStillSend()
    {
        var pump = TcpPump.RunAsync(_proxyClient, _proxyBackend, CancellationToken.None);

        await SendAndShutDownAsync(_backendApp, "banner"u8.ToArray());
        var banner = await ReadToEndAsync(_clientApp);
        await SendAndShutDownAsync(_clientApp, "after the banner"u8.ToArray());
        var late = await ReadToEndAsync(_backendApp);
        var result = await pump.WaitAsync(Limit);

        Assert.Equal("banner", Encoding.ASCII.GetString(banner));
        Assert.Equal("after the banner", Encoding.ASCII.GetString(late));
        Assert.True(result.Succeeded, $"failed: {result.Failed} {result.Error}");
    }

    [Fact]
    public async Task BackendResets_BlamedOnTheBackendAndTheClientIsClosed()
    {
        var pump = TcpPump.RunAsync(_proxyClient, _proxyBackend, CancellationToken.None);

        Reset(_backendApp);
        var result = await pump.WaitAsync(Limit);

        Assert.Equal(PumpSide.Backend, result.Failed);
        Assert.IsType<SocketException>(result.Error);
        Assert.Equal(0, await _clientApp.ReceiveAsync(new byte[16], SocketFlags.None).WaitAsync(Limit));
    }

    [Fact]
    public async Task ClientResets_BlamedOnTheClientAndTheBackendIsClosed()
    {
        var pump = TcpPump.RunAsync(_proxyClient, _proxyBackend, CancellationToken.None);

        Reset(_clientApp);
        var result = await pump.WaitAsync(Limit);

        Assert.Equal(PumpSide.Client, result.Failed);
        Assert.IsType<SocketException>(result.Error);
        Assert.Equal(0, await _backendApp.ReceiveAsync(new byte[16], SocketFlags.None).WaitAsync(Limit));
    }

    [Fact]
    public async Task Cancelled_BothSidesClosedAndNothingBlamed()
    {
        using var cancel = new CancellationTokenSource();
        var pump = TcpPump.RunAsync(_proxyClient, _proxyBackend, cancel.Token);

        await cancel.CancelAsync();
        var result = await pump.WaitAsync(Limit);

        Assert.Equal(PumpSide.None, result.Failed);
        Assert.Equal(0, await _clientApp.ReceiveAsync(new byte[16], SocketFlags.None).WaitAsync(Limit));
        Assert.Equal(0, await _backendApp.ReceiveAsync(new byte[16], SocketFlags.None).WaitAsync(Limit));
    }

    public void Dispose()
    {
        _clientApp.Dispose();
        _proxyClient.Dispose();
        _proxyBackend.Dispose();
        _backendApp.Dispose();
    }

    private static (Socket Connecting, Socket Accepted) ConnectedPair()
    {
        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        var connecting = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        connecting.Connect(listener.LocalEndPoint!);
        return (connecting, listener.Accept());
    }

    private static async Task SendAndShutDownAsync(Socket socket, byte[] data)
    {
        await socket.SendAsync(data, SocketFlags.None);
        socket.Shutdown(SocketShutdown.Send);
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        var all = new MemoryStream();
        var buffer = new byte[65536];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, SocketFlags.None).WaitAsync(Limit)) > 0)
        {
            all.Write(buffer, 0, read);
        }

        return all.ToArray();
    }

    /// <summary>Closes with SO_LINGER 0: the peer gets a RST, not a FIN.</summary>
    private static void Reset(Socket socket)
    {
        socket.LingerState = new LingerOption(true, 0);
        socket.Close();
    }
}
