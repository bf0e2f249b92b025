using System.Diagnostics;
using Podwake.FaultTests.Infrastructure;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.FaultTests.Serve;

/// <summary>
/// Whatever signal reaches serve's whole process group — ^C in its terminal, <c>timeout</c>, kill(-pgid), systemd's
/// default control-group kill — serve exits cleanly and leaves nothing: no container (not even Created), no podman
/// API service, no socket. Dormant and after a wake.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class SignalTests : IAsyncLifetime
{
    private readonly PodmanFixture _podman;
    private readonly TempDirectory _dir = new();
    private readonly List<string> _containers = [];

    public SignalTests(PodmanFixture podman)
    {
        _podman = podman;
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        // Only what a failed assertion left: these containers are this test's own.
        foreach (var container in _containers)
        {
            await _podman.Client.RemoveContainerAsync(container, force: true, CancellationToken.None);
        }

        _dir.Dispose();
    }

    [PodmanTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task CtrlCInItsTerminal_ExitsZero_LeavesNothing(bool woken)
    {
        var svc = NewService();
        await using var serve = LaunchedServe.InPty(svc.File);
        var servePid = await serve.WaitUntilServingAsync();
        var podmanPid = ProcessTree.PodmanServiceOf(servePid);
        await WakeIfAsync(woken, svc);

        await serve.TypeAsync("\x03");

        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        await AssertNothingLeftAsync(svc, servePid, podmanPid, serve.Output);
    }

    [PodmanTheory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task SigtermToItsProcessGroup_ExitsZero_LeavesNothing(bool woken)
    {
        var svc = NewService();
        await using var serve = LaunchedServe.InOwnGroup(svc.File);
        var servePid = await serve.WaitUntilServingAsync();
        var podmanPid = ProcessTree.PodmanServiceOf(servePid);
        await WakeIfAsync(woken, svc);

        LaunchedServe.SignalGroup(servePid, Signals.Term);

        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(60)));
        await AssertNothingLeftAsync(svc, servePid, podmanPid, serve.Output);
    }

    [PodmanFact]
    public async Task TimeoutExpires_ExitsZero_LeavesNothing()
    {
        var svc = NewService();
        // timeout(1) sends SIGTERM to serve, then to its whole process group. Long enough for a loaded host to get
        // serve serving and one wake done before it expires.
        await using var serve = LaunchedServe.UnderTimeout(svc.File, seconds: 15);
        var servePid = await serve.WaitUntilServingAsync();
        var podmanPid = ProcessTree.PodmanServiceOf(servePid);
        await WakeIfAsync(true, svc);

        Assert.Equal(0, await serve.WaitForExitAsync(TimeSpan.FromSeconds(75)));
        await AssertNothingLeftAsync(svc, servePid, podmanPid, serve.Output);
    }

    [PodmanFact]
    public async Task ServeKilledWithSigkill_ItsApiServiceDies_NextServeRemovesTheStaleSocket()
    {
        var svc = NewService();
        int killedPid;
        int? killedApi;
        await using (var killed = await ServeProcess.StartServingAsync(svc.File))
        {
            killedPid = killed.Pid;
            killedApi = ProcessTree.PodmanServiceOf(killedPid);
            killed.Signal(Signals.Kill);
            await killed.WaitForExitAsync(TimeSpan.FromSeconds(30));
        }

        // PDEATHSIG, across setsid: the API service does not outlive a serve that could not stop it.
        Assert.True(killedApi is not null, "serve ran no podman API service of its own");
        await Eventually.TrueAsync(() => Task.FromResult(!ProcessTree.IsAlive(killedApi.Value)), TimeSpan.FromSeconds(10));
        Assert.True(File.Exists(ProcessTree.PodmanSocketOf(killedPid)), "SIGKILL left no socket: nothing to test");

        await using var next = await ServeProcess.StartServingAsync(svc.File);

        Assert.False(File.Exists(ProcessTree.PodmanSocketOf(killedPid)), $"{ProcessTree.PodmanSocketOf(killedPid)} was not removed");
        Assert.Equal(200, (await RawHttp.GetAsync(svc.Endpoint)).Status);
    }

    [UserManagerFact]
    public Task SystemdUnitStoppedDormant_DefaultKillMode_LeavesNothing() => SystemdUnitStoppedAsync(woken: false);

    [UserManagerFact]
    public Task SystemdUnitStoppedAfterWake_DefaultKillMode_LeavesNothing() => SystemdUnitStoppedAsync(woken: true);

    /// <summary>A transient unit of the test user's manager (KillMode=control-group: SIGTERM to every process of the unit).</summary>
    private async Task SystemdUnitStoppedAsync(bool woken)
    {
        var svc = NewService();
        var unit = $"podwake-fault-{svc.Name}.service";
        var log = Path.Combine(_dir.Path, "serve.log");
        try
        {
            var run = await SystemctlAsync("systemd-run", "--user", $"--unit={unit}", $"--property=StandardOutput=append:{log}",
                $"--property=StandardError=append:{log}", ServeProcess.PodwakePath, "serve", svc.File);
            Assert.True(run.ExitCode == 0, $"systemd-run failed: {run.Output}");
            await Eventually.TrueAsync(
                () => Task.FromResult(File.Exists(log) && File.ReadAllText(log).Contains("podwake: serving", StringComparison.Ordinal)),
                TimeSpan.FromSeconds(90));
            var servePid = int.Parse((await SystemctlAsync("systemctl", "--user", "show", "--property=MainPID", "--value", unit)).Output.Trim(),
                System.Globalization.CultureInfo.InvariantCulture);
            var podmanPid = ProcessTree.PodmanServiceOf(servePid);
            await WakeIfAsync(woken, svc);

            var stop = await SystemctlAsync("systemctl", "--user", "stop", unit);

            Assert.True(stop.ExitCode == 0, $"systemctl stop failed: {stop.Output}");
            var state = (await SystemctlAsync("systemctl", "--user", "show", "--property=ActiveState,Result", unit)).Output;
            var output = File.ReadAllText(log);
            Assert.True(state.Contains("ActiveState=inactive", StringComparison.Ordinal), $"the unit did not stop cleanly ({state}):\n{output}");
            await AssertNothingLeftAsync(svc, servePid, podmanPid, output);
        }
        finally
        {
            await SystemctlAsync("systemctl", "--user", "stop", unit);
            await SystemctlAsync("systemctl", "--user", "reset-failed", unit);
        }
    }

    private TestServiceFile NewService()
    {
        var svc = TestServiceFile.Create(_dir.Path);
        _containers.Add(svc.Container);
        return svc;
    }

    private static async Task WakeIfAsync(bool woken, TestServiceFile svc)
    {
        if (woken)
        {
            Assert.Equal(200, (await RawHttp.GetAsync(svc.Endpoint)).Status);
        }
    }

    private async Task AssertNothingLeftAsync(TestServiceFile svc, int servePid, int? podmanPid, string output)
    {
        Assert.True(podmanPid is not null, $"serve {servePid} runs no podman API service of its own:\n{output}");
        Assert.False(await _podman.Client.ContainerExistsAsync(svc.Container, CancellationToken.None),
            $"container {svc.Container} was left behind:\n{output}");
        await Eventually.TrueAsync(() => Task.FromResult(!ProcessTree.IsAlive(podmanPid.Value)), TimeSpan.FromSeconds(10));
        Assert.Empty(ProcessTree.Mentioning($"podman-{servePid}.sock"));
        Assert.False(File.Exists(ProcessTree.PodmanSocketOf(servePid)), $"{ProcessTree.PodmanSocketOf(servePid)} was left behind");
        Assert.False(ProcessTree.IsAlive(servePid), $"serve {servePid} still runs");
    }

    private static async Task<(int ExitCode, string Output)> SystemctlAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments) { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        start.Environment["XDG_RUNTIME_DIR"] = UserManagerAvailability.RuntimeDirectory;
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await process.WaitForExitAsync(cts.Token);
        return (process.ExitCode, await stdout + await stderr);
    }
}
