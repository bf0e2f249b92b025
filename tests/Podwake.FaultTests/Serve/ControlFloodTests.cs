using System.Net.Sockets;
using Podwake.FaultTests.Infrastructure;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Podwake.FaultTests.Serve;

/// <summary>
/// serve's control socket under a flood of clients that connect and send nothing (any process of the user can): an
/// update asked meanwhile is answered, and serve's memory does not grow by a buffer per silent client. Before: the
/// listen queue of 16 was full at once (the update failed with EAGAIN, exit 2) and 55 000 silent clients grew serve
/// from 83 to 480 MB (64 KiB allocated per client before it sent anything).
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class ControlFloodTests : IDisposable
{
    private const int SilentClients = 3000;
    private readonly TempDirectory _dir = new();
    private readonly ITestOutputHelper _output;

    public ControlFloodTests(ITestOutputHelper output) => _output = output;

    public void Dispose() => _dir.Dispose();

    [PodmanFact]
    public async Task SilentClientsFlood_AnUpdateIsStillAnswered_MemoryStaysBounded()
    {
        await TestImages.BusyboxAsync();
        var service = TestServiceFile.Create(_dir.Path, extra: "update: local");
        await using var serve = await ServeProcess.StartServingAsync(service.File);
        var socketPath = Path.Combine(Environment.IsPrivilegedProcess ? "/run/podwake" : Path.Combine(UserManagerAvailability.RuntimeDirectory, "podwake"), $"serve-{serve.Pid}.sock");
        Assert.True(File.Exists(socketPath), socketPath);
        var rssBefore = ProcessProbe.RssKiB(serve.Pid);

        var clients = new List<Socket>();
        try
        {
            // As fast as connects go, all at once: the scenario is the flood, each client silent and kept open.
            var connects = Enumerable.Range(0, SilentClients).Select(async _ =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                lock (clients)
                {
                    clients.Add(socket);
                }

                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath));
                }
                catch (SocketException)
                {
                    // A full queue refuses some of them: that is the flood, not the test's concern.
                }
            }).ToList();
            var update = PodwakeCli.RunAsync("update", service.Name);
            await Task.WhenAll(connects);
            var answered = await update;
            var rssDuring = ProcessProbe.RssKiB(serve.Pid);
            _output.WriteLine($"{SilentClients} silent clients; serve RSS {rssBefore / 1024} -> {rssDuring / 1024} MiB; update: {answered}");

            Assert.True(answered.ExitCode == 0, answered.ToString());
            Assert.Contains($"{service.Name}: up to date", answered.Stdout, StringComparison.Ordinal);
            Assert.True(rssDuring - rssBefore < 64 * 1024, $"serve grew by {(rssDuring - rssBefore) / 1024} MiB with {SilentClients} silent clients");
        }
        finally
        {
            clients.ForEach(c => c.Dispose());
        }

        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
    }
}
