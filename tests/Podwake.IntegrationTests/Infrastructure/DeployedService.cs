using System.Net;
using System.Text;
using Xunit;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// A service file written for one test (unique name and port) and everything <c>podwake deploy</c> makes of it; dispose
/// runs the real <c>podwake undeploy</c> (with <c>--purge</c> for a <c>user:</c> service), so nothing is left behind.
/// </summary>
internal sealed class DeployedService : IAsyncDisposable
{
    private readonly TempDirectory _dir = new();

    /// <param name="udp">Pick a port free for both tcp and udp.</param>
    public DeployedService(string? user = null, bool udp = false)
    {
        Name = TestNames.Unique()["podwake-".Length..];
        User = user;
        Port = udp ? FreePorts.NextForTcpAndUdp() : FreePorts.Next();
        File = Path.Combine(_dir.Path, "service.yaml");
        if (user is not null)
        {
            // A new user has an empty store: it builds the image itself, from a context it can read.
            TestImages.WriteBusyboxContext(_dir.Path);
        }
    }

    public string Name { get; }

    public string? User { get; }

    public int Port { get; }

    public string File { get; }

    public string Directory => _dir.Path;

    public IPEndPoint Endpoint => new(IPAddress.Loopback, Port);

    public string ContainerName => $"podwake-{Name}";

    /// <summary>Writes the service file: the test image's web server on <see cref="Port"/>, plus <paramref name="extra"/> YAML lines.</summary>
    public void Write(string idle = "2s", string extra = "")
    {
        var text = new StringBuilder();
        text.Append($"name: {Name}\n");
        text.Append($"image: {(User is null ? TestImages.Busybox : $"localhost/{Name}:1")}\n");
        if (User is not null)
        {
            text.Append($"build: .\nrun_as: {User}\n");
        }

        text.Append($"ports: [{{listen: \"127.0.0.1:{Port}\", container: 8080}}]\n");
        text.Append($"idle: {idle}\n");
        text.Append("ready: {tcp: 8080, timeout: 30s}\n");
        text.Append(extra);
        System.IO.File.WriteAllText(File, text.ToString());
    }

    /// <summary>Writes a service file of the test's own: <c>name:</c> and <c>PORT</c> are filled in.</summary>
    public void WriteYaml(string body) =>
        System.IO.File.WriteAllText(File, $"name: {Name}\n{body.Replace("PORT", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)}\n");

    public async Task<CliResult> DeployAsync()
    {
        if (User is null)
        {
            await TestImages.BusyboxAsync();
        }

        return await PodwakeCli.RunAsync("deploy", File);
    }

    /// <summary>Deploys and fails the test unless deploy succeeded.</summary>
    public async Task DeployOrFailAsync()
    {
        var result = await DeployAsync();
        Assert.True(result.ExitCode == 0, $"podwake deploy failed: {result}");
    }

    /// <summary>podman as whoever runs the service's containers.</summary>
    public Task<CliResult> PodmanAsync(params string[] arguments) =>
        User is null
            ? PodwakeCli.RunProgramAsync("podman", arguments)
            : PodwakeCli.RunProgramAsync("runuser", ["-u", User, "--", "sh", "-c", "cd / && XDG_RUNTIME_DIR=/run/user/$(id -u) exec podman \"$@\"", "sh", .. arguments]);

    public async Task<string?> ContainerIdAsync()
    {
        var result = await PodmanAsync("container", "inspect", "--format", "{{.Id}}", ContainerName);
        return result.ExitCode == 0 ? result.Stdout.Trim() : null;
    }

    public async Task<bool> ContainerRunningAsync()
    {
        var result = await PodmanAsync("container", "inspect", "--format", "{{.State.Running}}", ContainerName);
        return result.ExitCode == 0 && result.Stdout.Trim() == "true";
    }

    /// <summary>systemctl --user of the test user's manager.</summary>
    public static Task<CliResult> SystemctlAsync(params string[] arguments) => PodwakeCli.RunProgramAsync("systemctl", ["--user", .. arguments]);

    public static async Task<string> ActiveStateAsync(string unit) =>
        (await SystemctlAsync("show", "--property=ActiveState", "--value", unit)).Stdout.Trim();

    /// <summary>Processes of this service: its activator (<c>podwake activate NAME</c>) and its container's conmon and podman.</summary>
    public List<string> ServiceProcesses()
    {
        var found = new List<string>();
        foreach (var directory in System.IO.Directory.EnumerateDirectories("/proc").Where(d => char.IsDigit(Path.GetFileName(d)[0])))
        {
            try
            {
                var words = System.IO.File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
                var line = string.Join(' ', words);
                if ((line.Contains(" activate ", StringComparison.Ordinal) && words.Contains(Name))
                    || (words.Contains(ContainerName) && (line.Contains("conmon", StringComparison.Ordinal) || line.Contains("podman", StringComparison.Ordinal))))
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

    /// <summary>Waits until neither a container nor an activator of the service runs; false after <paramref name="timeout"/>.</summary>
    public async Task<bool> WaitUntilDormantAsync(TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (ServiceProcesses().Count == 0 && !await ContainerRunningAsync())
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        var result = User is null ? await PodwakeCli.RunAsync("undeploy", Name) : await PodwakeCli.RunAsync("undeploy", "--purge", Name);
        _dir.Dispose();
        Assert.True(result.ExitCode == 0, $"podwake undeploy {Name} failed: {result}");
    }
}
