using System.Globalization;
using System.Text.Json;
using Xunit;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>The pod file and service file of one test's deployed <c>pod:</c> service, and what to ask about it.</summary>
internal sealed record DeployedPodService(DeployedService Service, string Token)
{
    public string Pod => $"podwake-{Service.Name}";

    public string ServiceContainer => $"{Pod}.service-container";

    private string ConfigDirectory => Service.User is { } user
        ? Path.Combine($"/home/{user}", ".config/podwake/services")
        : Environment.IsPrivilegedProcess
            ? "/root/.config/podwake/services"
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config/podwake/services");

    public string PlayFile => Path.Combine(ConfigDirectory, $"{Service.Name}.play.yml");

    public string Member(string container) => $"{Pod}-{container}";

    /// <summary>
    /// httpd serves the emptyDir the writer fills; both handle SIGTERM (busybox as PID 1 ignores it: 10 s stops).
    /// A new token each time: a rewritten pod file is a changed one.
    /// </summary>
    /// <param name="image">The image both containers run (default: the busybox test image, in the store of whoever runs the tests).</param>
    public static DeployedPodService Write(DeployedService service, string idle, string? image = null)
    {
        var token = $"token-{Guid.NewGuid():N}";
        image ??= TestImages.Busybox;
        File.WriteAllText(Path.Combine(service.Directory, "pod.yaml"), $$"""
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
            spec:
              containers:
              - name: httpd
                image: {{image}}
                command: [/bin/busybox, sh, -c, 'trap "exit 0" TERM; /bin/busybox httpd -f -p 8080 -h /www & wait']
                ports:
                - containerPort: 8080
                readinessProbe:
                  httpGet: {path: /index.html, port: 8080}
                volumeMounts:
                - {name: share, mountPath: /www}
              - name: writer
                image: {{image}}
                command: [/bin/busybox, sh, -c, 'trap "exit 0" TERM; echo {{token}} > /www/index.html; /bin/busybox sleep 3600 & wait']
                volumeMounts:
                - {name: share, mountPath: /www}
              volumes:
              - name: share
                emptyDir: {}
            """);
        var user = service.User is { } name ? $"\nrun_as: {name}" : "";
        service.WriteYaml($"pod: ./pod.yaml\nports: [{{listen: \"127.0.0.1:PORT\", container: 8080}}]\nidle: {idle}{user}");
        return new DeployedPodService(service, token);
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

/// <summary>podman's container events of one pod service, in the order podman wrote them.</summary>
internal sealed record PodEvents(List<(DateTimeOffset Time, string Name, string Status)> Events)
{
    public DateTimeOffset First(string name, string status) =>
        Events.Where(e => e.Name == name && e.Status == status).Select(e => e.Time).DefaultIfEmpty(DateTimeOffset.MaxValue).Min();

    public DateTimeOffset Last(string name, string status) =>
        Events.Where(e => e.Name == name && e.Status == status).Select(e => e.Time).DefaultIfEmpty(DateTimeOffset.MinValue).Max();

    public override string ToString() => string.Join('\n', Events.Select(e => $"{e.Time:HH:mm:ss.fffffff} {e.Name} {e.Status}"));
}
