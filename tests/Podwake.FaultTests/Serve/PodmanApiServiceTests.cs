using System.Diagnostics;
using Podwake.FaultTests.Infrastructure;
using Podwake.IntegrationTests.Infrastructure;
using Podwake.Podman;
using Xunit;
using Xunit.Abstractions;

namespace Podwake.FaultTests.Serve;

/// <summary>The <c>podman system service</c> a serve started for itself is killed: serve restarts it and keeps working.</summary>
[Collection(PodmanCollection.Name)]
public sealed class PodmanApiServiceTests : IAsyncLifetime
{
    private readonly PodmanFixture _podman;
    private readonly ITestOutputHelper _output;
    private readonly TempDirectory _dir = new();
    private TestServiceFile? _svc;

    public PodmanApiServiceTests(PodmanFixture podman, ITestOutputHelper output)
    {
        _podman = podman;
        _output = output;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        if (_svc is not null)
        {
            await _podman.Client.RemoveContainerAsync(_svc.Container, force: true, CancellationToken.None);
        }

        _dir.Dispose();
    }

    [PodmanFact]
    public async Task ApiServiceKilled_RestartedWhileClientsRequest_ContainerDeathStillRecovered_SigtermLeavesNothing()
    {
        var svc = _svc = TestServiceFile.Create(_dir.Path);
        await using var serve = await ServeProcess.StartServingAsync(svc.File);
        Assert.Equal(200, (await RawHttp.GetAsync(svc.Endpoint)).Status);
        var socket = ProcessTree.PodmanSocketOf(serve.Pid);
        var killed = ProcessTree.PodmanServiceOf(serve.Pid);
        Assert.True(killed is not null, $"serve runs no podman API service of its own:\n{serve.Stdout}\n{serve.Stderr}");
        await using var loop = new ClientLoop(svc.Endpoint);
        await Eventually.TrueAsync(() => Task.FromResult(loop.Count(HttpOutcomeKind.Response) >= 5), TimeSpan.FromSeconds(30));

        var clock = Stopwatch.StartNew();
        Assert.Equal(0, Kill(killed.Value, Signals.Kill));
        int? restarted = null;
        await Eventually.TrueAsync(
            async () => (restarted = ProcessTree.PodmanServiceOf(serve.Pid)) is { } pid && pid != killed && await AnswersAsync(socket),
            TimeSpan.FromSeconds(30));
        var apiRecovery = clock.Elapsed;

        // The next container death needs the API (a restart is a REST start): it must go through the new service.
        var before = await _podman.Client.InspectContainerAsync(svc.Container, CancellationToken.None);
        var okBeforeDeath = loop.Count(HttpOutcomeKind.Response);
        clock.Restart();
        Assert.Equal(0, Kill(before.State.Pid, Signals.Kill));
        await Eventually.TrueAsync(
            async () => (await _podman.Client.InspectContainerAsync(svc.Container, CancellationToken.None)).State is { Running: true } s
                && s.Pid != before.State.Pid && loop.Count(HttpOutcomeKind.Response) > okBeforeDeath + 5,
            TimeSpan.FromSeconds(60));
        var containerRecovery = clock.Elapsed;
        await loop.StopAsync();

        _output.WriteLine($"API service {killed} killed, {restarted} answering after {apiRecovery.TotalMilliseconds:0} ms; " +
            $"container restarted and 5 more requests served {containerRecovery.TotalMilliseconds:0} ms after its kill -9; requests: {loop}");
        Assert.Equal(0, loop.Count(HttpOutcomeKind.Refused));
        Assert.Equal(0, loop.Count(HttpOutcomeKind.Reset));
        Assert.Equal(0, loop.Count(HttpOutcomeKind.TimedOut));

        serve.Signal(Signals.Term);
        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        Assert.False(await _podman.Client.ContainerExistsAsync(svc.Container, CancellationToken.None),
            $"container left behind:\n{serve.Stdout}\n{serve.Stderr}");
        await Eventually.TrueAsync(() => Task.FromResult(!ProcessTree.IsAlive(restarted!.Value)), TimeSpan.FromSeconds(10));
        Assert.Empty(ProcessTree.Mentioning($"podman-{serve.Pid}.sock"));
        Assert.False(File.Exists(socket), $"{socket} left behind");
        Assert.DoesNotContain("   at ", serve.Stdout + serve.Stderr, StringComparison.Ordinal);
    }

    private static async Task<bool> AnswersAsync(string socket)
    {
        using var client = new PodmanClient(socket);
        try
        {
            await client.PingAsync(CancellationToken.None, TimeSpan.FromSeconds(1));
            return true;
        }
        catch (PodmanUnavailableException)
        {
            return false;
        }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
