using System.Globalization;
using System.Text.Json;
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
        var pod = PodService.Write(service, idle: "2s");
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
    public Task KillMinus9OfHttpd_ClientLoopSeesNothingRefused_ServiceComesBack() => KillMinus9Async("httpd");

    [UserManagerFact]
    public Task KillMinus9OfWriter_ClientLoopSeesNothingRefused_ServiceComesBack() => KillMinus9Async("writer");

    [UserManagerFact]
    public async Task Redeploy_Unchanged_KeepsThePod_ChangedPodFile_ReplaysIt()
    {
        await using var service = new DeployedService();
        var pod = PodService.Write(service, idle: "30s");
        await service.DeployOrFailAsync();
        var id = await pod.IdAsync();
        var played = File.ReadAllText(pod.PlayFile);

        var again = await service.DeployAsync();

        Assert.True(again.ExitCode == 0, again.ToString());
        Assert.Contains("unchanged", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(id, await pod.IdAsync());
        Assert.Equal(played, File.ReadAllText(pod.PlayFile));

        var woken = await RawHttp.GetAsync(service.Endpoint);
        Assert.Contains(pod.Token, woken.Body, StringComparison.Ordinal);
        var changed = PodService.Write(service, idle: "30s");
        var replay = await service.DeployAsync();

        Assert.True(replay.ExitCode == 0, replay.ToString());
        Assert.NotEqual(id, await pod.IdAsync());
        var after = await RawHttp.GetAsync(service.Endpoint);
        Assert.True(after.Status == 200, $"after the replay: {after}");
        Assert.Contains(changed.Token, after.Body, StringComparison.Ordinal);
    }

    private static async Task KillMinus9Async(string victim)
    {
        await using var service = new DeployedService();
        var pod = PodService.Write(service, idle: "30s");
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

        // A request the killed httpd was handling has no response to give: it may be closed cleanly, once; none is refused.
        Assert.True(loop.Count(HttpOutcomeKind.Refused) == 0, $"refused connections after kill -9 of {victim}: {loop}");
        Assert.True(loop.Count(HttpOutcomeKind.Response) > 20, loop.ToString());
        Assert.True(loop.Total - loop.Count(HttpOutcomeKind.Response) - loop.Count(HttpOutcomeKind.ClosedWithoutResponse) == 0, loop.ToString());
        Assert.True(loop.Count(HttpOutcomeKind.ClosedWithoutResponse) <= 1, loop.ToString());
        Assert.Contains(pod.Token, (await RawHttp.GetAsync(service.Endpoint)).Body, StringComparison.Ordinal);
        Assert.Equal(["httpd", "service", "writer"], await pod.RunningAsync());
    }

    /// <summary>The pod file and service file of one test's pod service, and what to ask about it.</summary>
    private sealed record PodService(DeployedService Service, string Token)
    {
        public string Pod => $"podwake-{Service.Name}";

        public string ServiceContainer => $"{Pod}.service-container";

        private string ConfigDirectory => Environment.IsPrivilegedProcess
            ? "/root/.config/podwake/services"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config/podwake/services");

        public string PlayFile => Path.Combine(ConfigDirectory, $"{Service.Name}.play.yml");

        public string Member(string container) => $"{Pod}-{container}";

        /// <summary>
        /// httpd serves the emptyDir the writer fills; both handle SIGTERM (busybox as PID 1 ignores it: 10 s stops).
        /// A new token each time: a rewritten pod file is a changed one.
        /// </summary>
        public static PodService Write(DeployedService service, string idle)
        {
            var token = $"token-{Guid.NewGuid():N}";
            File.WriteAllText(Path.Combine(service.Directory, "pod.yaml"), $$"""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: web
                spec:
                  containers:
                  - name: httpd
                    image: {{TestImages.Busybox}}
                    command: [/bin/busybox, sh, -c, 'trap "exit 0" TERM; /bin/busybox httpd -f -p 8080 -h /www & wait']
                    ports:
                    - containerPort: 8080
                    readinessProbe:
                      httpGet: {path: /index.html, port: 8080}
                    volumeMounts:
                    - {name: share, mountPath: /www}
                  - name: writer
                    image: {{TestImages.Busybox}}
                    command: [/bin/busybox, sh, -c, 'trap "exit 0" TERM; echo {{token}} > /www/index.html; /bin/busybox sleep 3600 & wait']
                    volumeMounts:
                    - {name: share, mountPath: /www}
                  volumes:
                  - name: share
                    emptyDir: {}
                """);
            service.WriteYaml($"pod: ./pod.yaml\nports: [{{listen: \"127.0.0.1:PORT\", container: 8080}}]\nidle: {idle}");
            return new PodService(service, token);
        }

        public async Task<string> IdAsync() => (await Service.PodmanAsync("pod", "inspect", "--format", "{{.ID}}", Pod)).Stdout.Trim();

        public async Task<int> PidAsync(string container)
        {
            var result = await Service.PodmanAsync("container", "inspect", "--format", "{{.State.Running}} {{.State.Pid}}", Member(container));
            var words = result.Stdout.Trim().Split(' ');
            return words is ["true", var pid] ? int.Parse(pid, CultureInfo.InvariantCulture) : 0;
        }

        /// <summary>Which of the pod's containers run: "httpd", "writer", and "service" for the service container.</summary>
        public async Task<List<string>> RunningAsync()
        {
            var running = new List<string>();
            foreach (var (label, container) in new[] { ("httpd", Member("httpd")), ("service", ServiceContainer), ("writer", Member("writer")) })
            {
                var state = await Service.PodmanAsync("container", "inspect", "--format", "{{.State.Running}}", container);
                if (state.Stdout.Trim() == "true")
                {
                    running.Add(label);
                }
            }

            return running;
        }

        /// <summary>The service's processes: its activator, and conmon or podman of any container of its pod.</summary>
        public List<string> Processes()
        {
            var found = new List<string>();
            foreach (var directory in Directory.EnumerateDirectories("/proc").Where(d => char.IsDigit(Path.GetFileName(d)[0])))
            {
                try
                {
                    var words = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
                    var line = string.Join(' ', words);
                    if ((line.Contains(" activate ", StringComparison.Ordinal) && words.Contains(Service.Name))
                        || (words.Any(w => w == Pod || w.StartsWith(Pod + "-", StringComparison.Ordinal) || w.StartsWith(Pod + ".", StringComparison.Ordinal))
                            && (line.Contains("conmon", StringComparison.Ordinal) || line.Contains("podman", StringComparison.Ordinal))))
                    {
                        found.Add($"{Path.GetFileName(directory)}: {line}");
                    }
                }
                catch (IOException)
                {
                    // exited meanwhile
                }
            }

            return found;
        }

        /// <summary>The service's units and deploy state still on disk.</summary>
        public List<string> DeployFiles()
        {
            var units = Path.Combine(Path.GetDirectoryName(Path.GetDirectoryName(ConfigDirectory)!)!, "systemd", "user");
            return new[] { units, ConfigDirectory }.Where(Directory.Exists)
                .SelectMany(d => Directory.EnumerateFileSystemEntries(d))
                .Where(p => Path.GetFileName(p).StartsWith($"{Service.Name}.", StringComparison.Ordinal) || Path.GetFileName(p).StartsWith($"{Pod}.", StringComparison.Ordinal)
                            || Path.GetFileName(p).StartsWith($"{Pod}-", StringComparison.Ordinal))
                .ToList();
        }

        /// <summary>podman's container events since <paramref name="since"/> (<c>--until</c> returns nothing with the file logger).</summary>
        public async Task<PodEvents> EventsSinceAsync(DateTimeOffset since)
        {
            var result = await Service.PodmanAsync("events", "--stream=false", "--since", since.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture),
                "--filter", "type=container", "--format", "json");
            Assert.True(result.ExitCode == 0, result.ToString());
            var events = new List<(DateTimeOffset Time, string Name, string Status)>();
            foreach (var line in result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
            {
                using var document = JsonDocument.Parse(line);
                var root = document.RootElement;
                var name = root.GetProperty("Name").GetString() ?? "";
                if (name == ServiceContainer || name.StartsWith(Pod + "-", StringComparison.Ordinal))
                {
                    events.Add((DateTimeOffset.Parse(root.GetProperty("Time").GetString()!, CultureInfo.InvariantCulture), name, root.GetProperty("Status").GetString() ?? ""));
                }
            }

            return new PodEvents(events);
        }
    }

    private sealed record PodEvents(List<(DateTimeOffset Time, string Name, string Status)> Events)
    {
        public DateTimeOffset First(string name, string status) =>
            Events.Where(e => e.Name == name && e.Status == status).Select(e => e.Time).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();

        public DateTimeOffset Last(string name, string status) =>
            Events.Where(e => e.Name == name && e.Status == status).Select(e => e.Time).DefaultIfEmpty(DateTimeOffset.MinValue).Max();

        public override string ToString() => string.Join('\n', Events.Select(e => $"{e.Time:HH:mm:ss.fffffff} {e.Name} {e.Status}"));
    }
}
