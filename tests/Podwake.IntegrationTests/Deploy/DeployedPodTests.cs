using System.Globalization;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Deploy;

/// <summary>
/// <c>pod:</c> services deployed into a real systemd user manager with real podman (rootful as root, rootless as the test
/// user): a two-container pod (busybox httpd serving an emptyDir the second container writes a token into), played once
/// by deploy with podman's service container, woken and stopped as a whole by its container unit.
/// </summary>
public sealed class DeployedPodTests
{
    [UserManagerFact]
    public async Task Deploy_WakesWithTheToken_IdleStopsTheWholePod_WakesAgain_ServiceContainerFirstAndLast_UndeployLeavesNothing()
    {
        await using var service = new DeployedService();
        var pod = DeployedPodService.Write(service, idle: "2s");
        await service.DeployOrFailAsync();

        Assert.Equal("active", await DeployedService.ActiveStateAsync($"podwake-{service.Name}.socket"));
        Assert.Equal([], await pod.RunningAsync());
        Assert.Empty(pod.Processes());
        var since = DateTimeOffset.UtcNow;

        var first = await RawHttp.GetAsync(service.Endpoint);

        Assert.True(first.Status == 200, $"the first request got {first}");
        Assert.Contains(pod.Token, first.Body, StringComparison.Ordinal);
        Assert.Equal(["httpd", "service", "writer"], await pod.RunningAsync());

        // Idle (2 s): the pod stops as a whole, its service container with it, and nothing of the service runs.
        await Eventually.TrueAsync(
            async () => (await pod.RunningAsync()).Count == 0 && pod.Processes().Count == 0,
            TimeSpan.FromSeconds(30),
            () => $"still running 30 s after the request (idle 2s): {string.Join(", ", pod.RunningAsync().Result)}; {string.Join("; ", pod.Processes())}");
        Assert.Equal("active", await DeployedService.ActiveStateAsync($"podwake-{service.Name}.socket"));

        // podman's own order, from its events: the service container starts before the pod's containers, stops after them.
        var events = await pod.EventsSinceAsync(since);
        var serviceStart = events.First(pod.ServiceContainer, "start");
        var serviceStop = events.Last(pod.ServiceContainer, "died");
        foreach (var member in new[] { pod.Member("httpd"), pod.Member("writer") })
        {
            Assert.True(serviceStart < events.First(member, "start"), $"{member} started before the service container\n{events}");
            Assert.True(events.Last(member, "died") < serviceStop, $"{member} stopped after the service container\n{events}");
        }

        // Dormant, as a container service is, naming its pod.
        var status = await PodwakeCli.RunAsync("status", service.Name, "--json");
        Assert.True(status.ExitCode == 0, status.ToString());
        using (var document = System.Text.Json.JsonDocument.Parse(status.Stdout))
        {
            var entry = document.RootElement.EnumerateArray().SelectMany(d => d.GetProperty("services").EnumerateArray()).Single(e => e.GetProperty("name").GetString() == service.Name);
            Assert.Equal(pod.Pod, entry.GetProperty("pod").GetString());
            Assert.Equal("dormant", entry.GetProperty("state").GetString());
        }

        var second = await RawHttp.GetAsync(service.Endpoint);

        Assert.True(second.Status == 200, $"the second wake got {second}");
        Assert.Contains(pod.Token, second.Body, StringComparison.Ordinal);

        var undeploy = await PodwakeCli.RunAsync("undeploy", service.Name);
        Assert.True(undeploy.ExitCode == 0, undeploy.ToString());
        Assert.Equal(1, (await service.PodmanAsync("pod", "exists", pod.Pod)).ExitCode);
        var left = await service.PodmanAsync("ps", "--all", "--filter", $"name={pod.Pod}", "--format", "{{.Names}}");
        Assert.True(left.Stdout.Trim().Length == 0, $"containers left: {left.Stdout}");
        Assert.Equal("", (await service.PodmanAsync("volume", "ls", "--quiet", "--filter", $"name={pod.Pod}")).Stdout.Trim());
        Assert.Empty(pod.DeployFiles());
        Assert.Empty(pod.Processes());
    }

    [UserManagerFact]
    public async Task Deploy_OntoATakenPort_RollsBack_NoPodContainerOrFileLeft()
    {
        await using var service = new DeployedService();
        var pod = DeployedPodService.Write(service, idle: "30s");
        using var taken = new System.Net.Sockets.TcpListener(service.Endpoint);
        taken.Start();

        var result = await service.DeployAsync();

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("rolled back", result.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, (await service.PodmanAsync("pod", "exists", pod.Pod)).ExitCode);
        var left = await service.PodmanAsync("ps", "--all", "--filter", $"name={pod.Pod}", "--format", "{{.Names}}");
        Assert.True(left.ExitCode == 0 && left.Stdout.Trim().Length == 0, $"containers left: {left}");
        Assert.Empty(pod.DeployFiles());
    }

    [UserManagerFact]
    public Task KillMinus9OfHttpd_ClientLoopSeesNothingRefused_ServiceComesBack() => KillMinus9Async("httpd");

    [UserManagerFact]
    public Task KillMinus9OfWriter_ClientLoopSeesNothingRefused_ServiceComesBack() => KillMinus9Async("writer");

    [UserManagerFact]
    public async Task Redeploy_Unchanged_KeepsThePod_UpdateSaysNotUpdated_ChangedPodFile_ReplaysIt()
    {
        await using var service = new DeployedService();
        var pod = DeployedPodService.Write(service, idle: "30s");
        await service.DeployOrFailAsync();
        var id = await pod.IdAsync();
        var played = File.ReadAllText(pod.PlayFile);

        var again = await service.DeployAsync();

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("unchanged", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(id, await pod.IdAsync());
        Assert.Equal(played, File.ReadAllText(pod.PlayFile));

        // podwake update leaves a pod service alone, saying so: its images are the pod file's.
        var update = await PodwakeCli.RunAsync("update", service.Name);
        Assert.True(update.ExitCode == 1 && update.Stdout.Contains($"{service.Name}: not updated: it is a pod: service", StringComparison.Ordinal), update.ToString());

        var woken = await RawHttp.GetAsync(service.Endpoint);
        Assert.Contains(pod.Token, woken.Body, StringComparison.Ordinal);
        var changed = DeployedPodService.Write(service, idle: "30s");
        var replay = await service.DeployAsync();

        Assert.True(replay.ExitCode == 0, replay.ToString());
        Assert.NotEqual(id, await pod.IdAsync());
        var after = await RawHttp.GetAsync(service.Endpoint);
        Assert.True(after.Status == 200, $"after the replay: {after}");
        Assert.Contains(changed.Token, after.Body, StringComparison.Ordinal);
    }

    /// <summary>
    /// root deploys a pod service into a <c>user:</c>'s manager: podman runs rootless as that user, the deploy state is
    /// written into the user's home as the user's (the link the container unit copies included: systemd follows a link
    /// in a user's directory only when the user owns it).
    /// </summary>
    [UserManagerFact(RunsAs.Root)]
    [Trait("runs-as", "root")]
    public async Task UserPodService_AsRoot_ServesTheToken_UndeployLeavesNothingOfIt()
    {
        var user = "pwit" + Guid.NewGuid().ToString("N")[..8];

        // A new user's store is empty and no registry is reachable here: a container service of the same user builds the
        // image first (disposed last: its undeploy --purge removes the user).
        await using var builder = new DeployedService(user);
        builder.Write(idle: "2s");
        await builder.DeployOrFailAsync();
        await using var service = new DeployedService(user);
        var pod = DeployedPodService.Write(service, idle: "2s", image: $"localhost/{builder.Name}:1");
        await service.DeployOrFailAsync();

        var response = await RawHttp.GetAsync(service.Endpoint);

        Assert.True(response.Status == 200, $"first request: {response}");
        Assert.Contains(pod.Token, response.Body, StringComparison.Ordinal);
        var uid = (await PodwakeCli.RunProgramAsync("id", "-u", user)).Stdout.Trim();
        var link = (await PodwakeCli.RunProgramAsync("stat", "-c", "%u %F", Path.Combine($"/home/{user}/.config/podwake/services", $"{service.Name}.conmon.pid"))).Stdout.Trim();
        Assert.Equal($"{uid} symbolic link", link);
        await Eventually.TrueAsync(async () => (await pod.RunningAsync()).Count == 0, TimeSpan.FromSeconds(30), () => "the pod still runs after idle");

        var undeploy = await PodwakeCli.RunAsync("undeploy", service.Name);
        Assert.True(undeploy.ExitCode == 0, undeploy.ToString());
        Assert.Equal(1, (await service.PodmanAsync("pod", "exists", pod.Pod)).ExitCode);
        var left = await service.PodmanAsync("ps", "--all", "--filter", $"name={pod.Pod}", "--format", "{{.Names}}");
        Assert.True(left.ExitCode == 0 && left.Stdout.Trim().Length == 0, $"containers left: {left}");
        Assert.Empty(pod.DeployFiles());
    }

    private static async Task KillMinus9Async(string victim)
    {
        await using var service = new DeployedService();
        var pod = DeployedPodService.Write(service, idle: "30s");
        await service.DeployOrFailAsync();
        Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
        var pid = await pod.PidAsync(victim);
        Assert.True(pid > 0, $"no process of {victim}");

        var loop = new ClientLoop(service.Endpoint);
        await using (loop)
        {
            await Task.Delay(TimeSpan.FromSeconds(1)); // the scenario: the kill comes while the client loop is under way
            var kill = await PodwakeCli.RunProgramAsync("kill", "-9", pid.ToString(CultureInfo.InvariantCulture));
            Assert.True(kill.ExitCode == 0, kill.ToString());
            await Eventually.TrueAsync(
                async () => await pod.PidAsync(victim) is var now && now > 0 && now != pid,
                TimeSpan.FromSeconds(30),
                () => $"{victim} did not run again after kill -9");
            await Task.Delay(TimeSpan.FromSeconds(1)); // the scenario: the loop goes on against the restarted pod
            await loop.StopAsync();
        }

        // A request the killed httpd was handling has no response to give: it may be closed cleanly; none is refused.
        // Rootless, one more may be: podman's forwarder (kept by the pod's infra container, unlike a single container's)
        // accepts and then closes a connection made before the activator has read the dead container's exit code
        // (a podman inspect, ~0.2 s as the test user, longer on a loaded host); measured 2 closed of 81 in one run, and 3 of
        // 82 once in CI's rootless run (the loop sends a request every 20 ms).
        Assert.True(loop.Count(HttpOutcomeKind.Refused) == 0, $"refused connections after kill -9 of {victim}: {loop}");
        Assert.True(loop.Count(HttpOutcomeKind.Response) > 20, loop.ToString());
        Assert.True(loop.Total - loop.Count(HttpOutcomeKind.Response) - loop.Count(HttpOutcomeKind.ClosedWithoutResponse) == 0, loop.ToString());
        Assert.True(loop.Count(HttpOutcomeKind.ClosedWithoutResponse) <= (Environment.IsPrivilegedProcess ? 1 : 3), loop.ToString());
        Assert.Contains(pod.Token, (await RawHttp.GetAsync(service.Endpoint)).Body, StringComparison.Ordinal);
        Assert.Equal(["httpd", "service", "writer"], await pod.RunningAsync());
    }
}
