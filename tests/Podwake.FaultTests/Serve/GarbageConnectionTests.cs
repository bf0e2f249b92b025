using System.Net.Sockets;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.FaultTests.Serve;

/// <summary>Clients that send garbage or nothing at all: the listener goes on serving everyone else.</summary>
[Collection(PodmanCollection.Name)]
public sealed class GarbageConnectionTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [PodmanFact]
    public async Task FourHundredGarbageAndSilentConnections_LegitimateClientStillServed()
    {
        var svc = TestServiceFile.Create(_dir.Path, extra: "hold: 1024");
        await using var serve = await ServeProcess.StartServingAsync(svc.File);
        Assert.Equal(200, (await RawHttp.GetAsync(svc.Endpoint)).Status);

        var garbage = new List<Socket>();
        try
        {
            for (var i = 0; i < 400; i++)
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
                await socket.ConnectAsync(svc.Endpoint);
                if (i % 2 == 0)
                {
                    await socket.SendAsync("\0\xff GARBAGE \r\n\r\n"u8.ToArray(), SocketFlags.None);
                }

                garbage.Add(socket);
            }

            var outcomes = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => RawHttp.GetAsync(svc.Endpoint)));

            Assert.All(outcomes, o => Assert.Equal(200, o.Status));
            Assert.False(serve.HasExited, "serve exited under 400 garbage connections");
        }
        finally
        {
            garbage.ForEach(s => s.Dispose());
        }
    }
}
