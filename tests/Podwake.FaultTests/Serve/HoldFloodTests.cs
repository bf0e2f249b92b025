using System.Net.Sockets;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Podwake.FaultTests.Serve;

/// <summary>A flood of connections past <c>hold:</c> during a slow wake: each is closed and counted, the log gets about one line a second.</summary>
[Collection(PodmanCollection.Name)]
public sealed class HoldFloodTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly ITestOutputHelper _output;

    public HoldFloodTests(ITestOutputHelper output) => _output = output;

    public Task InitializeAsync() => TestImages.BusyboxAsync();

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    [PodmanFact]
    public async Task TwoThousandConnectionsPastHold_ClosedAndCounted_LogRateLimited()
    {
        // Ready 5 s after start: the flood arrives while 4 connections are held.
        var svc = TestServiceFile.Create(_dir.Path, command: """["/bin/busybox", "sh", "-c", "sleep 5; exec /bin/busybox httpd -f -p 8080 -h /www"]""", extra: "hold: 4");
        await using var serve = await ServeProcess.StartServingAsync(svc.File);
        var held = Enumerable.Range(0, 4).Select(_ => RawHttp.GetAsync(svc.Endpoint)).ToList();
        await Eventually.TrueAsync(async () => (await serve.ServiceStatusAsync(svc.Name)).GetProperty("held_connections").GetInt32() == 4, TimeSpan.FromSeconds(10));

        var closed = 0;
        for (var batch = 0; batch < 40; batch++)
        {
            var outcomes = await Task.WhenAll(Enumerable.Range(0, 50).Select(_ => ConnectAndReadAsync(svc.Endpoint)));
            closed += outcomes.Count(o => o);
        }

        var rejected = (await serve.ServiceStatusAsync(svc.Name)).GetProperty("rejected_connections").GetInt64();
        var lines = VanishedContainerTests.LogLines(serve).Where(l => l.Contains("connections already held", StringComparison.Ordinal)).ToList();
        _output.WriteLine($"{closed} closed cleanly, {rejected} rejected, {lines.Count} log lines:\n{string.Join('\n', lines)}");
        Assert.Equal(2000, closed);
        Assert.Equal(2000, rejected);

        // Before: one warning per rejected connection (2,000 lines).
        Assert.InRange(lines.Count, 1, 10);
        Assert.All(await Task.WhenAll(held), o => Assert.Equal(200, o.Status));
    }

    /// <summary>True when the connection is accepted and then closed cleanly (EOF, no reset) without a byte.</summary>
    private static async Task<bool> ConnectAndReadAsync(System.Net.IPEndPoint endpoint)
    {
        using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint);
        var buffer = new byte[16];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        return await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token) == 0;
    }
}
