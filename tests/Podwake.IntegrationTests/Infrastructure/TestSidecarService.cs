using System.Diagnostics;
using System.Text.Json;
using Podwake.Podman;
using Podwake.Sidecars;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// A <c>sidecar:</c> service for one test: a unique name, its wrapper in the test's folder, the side-car test image
/// running <c>/agent.sh PORT WORD</c>. The state folder is removed on dispose (serve keeps the list when it exits).
/// </summary>
internal sealed class TestSidecarService : IDisposable
{
    private TestSidecarService(string name, string file, string wrapper)
    {
        Name = name;
        File = file;
        Wrapper = wrapper;
        Paths = SidecarPaths.ForCurrentUser(name);
    }

    /// <summary>
    /// The binary the units run: scripts/setup's NativeAOT publish of this tree when there is one (what a user runs;
    /// scripts/test publishes it first), else the test build's. Each pass is a process start: the JIT build's ~0.5 s
    /// start-up alone is a quarter of the 2 s the issue allows for a removal, the published one's ~25 ms is not.
    /// </summary>
    public static string DeployBinary
    {
        get
        {
            for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
            {
                var published = Path.Combine(directory.FullName, "artifacts", "publish", "podwake");
                if (System.IO.File.Exists(Path.Combine(directory.FullName, "podwake.slnx")))
                {
                    return System.IO.File.Exists(published) ? published : ServeProcess.PodwakePath;
                }
            }

            return ServeProcess.PodwakePath;
        }
    }

    public string Name { get; }

    public string File { get; }

    public string Wrapper { get; }

    public SidecarPaths Paths { get; }

    /// <param name="key">The <c>sidecar.key</c> value, e.g. <c>netns</c> or <c>env:AGENT_KEY</c>.</param>
    /// <param name="extra">More lines of the sidecar: section (indented by two spaces), e.g. <c>  foreground: true</c>.</param>
    /// <param name="command">The sidecar command as YAML; the agent script by default.</param>
    public static async Task<TestSidecarService> CreateAsync(string directory, string key, string extra = "", string restart = "on-failure", string command = "[/bin/sh, /agent.sh]")
    {
        await TestImages.SidecarAsync();
        var name = TestNames.Unique()["podwake-".Length..];
        var folder = Path.Combine(directory, name);
        Directory.CreateDirectory(folder);
        var wrapper = Path.Combine(folder, "bin", "agent");
        var file = Path.Combine(folder, "service.yaml");
        System.IO.File.WriteAllText(file, $$"""
            name: {{name}}
            image: {{TestImages.Sidecar}}
            restart: {{restart}}
            sidecar:
              wrapper: {{wrapper}}
              command: {{command}}
              key: "{{key}}"
            {{extra}}
            """);
        return new TestSidecarService(name, file, wrapper);
    }

    public string Container(string key) => SidecarNames.Container(Name, key);

    /// <summary>Calls the wrapper with <paramref name="arguments"/> and <paramref name="environment"/> added, in network namespace <paramref name="netns"/> when given.</summary>
    public async Task<CliResult> CallAsync(IReadOnlyDictionary<string, string>? environment, string? netns, params string[] arguments)
    {
        var start = netns is null
            ? new ProcessStartInfo(Wrapper, arguments)
            : new ProcessStartInfo("ip", ["netns", "exec", netns, Wrapper, .. arguments]);
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        foreach (var (variable, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[variable] = value;
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        // Longer than any test's side-car timeout (120 s at most; the runner's hang limit is 180 s): the wrapper gives up first and says why.
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(150));
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            return new CliResult(-1, await stdout, await stderr + $"\n(the wrapper had not exited after 150 s: killed)");
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>The service's key containers, as podman lists them.</summary>
    public async Task<List<ContainerSummary>> ContainersAsync(PodmanClient podman) =>
        [.. (await podman.ListContainersAsync($"{ContainerLabels.Service}={Name}", CancellationToken.None))
            .Where(c => c.Labels?.ContainsKey(ContainerLabels.SidecarKey) == true)];

    /// <summary><c>podwake sidecar list NAME --json</c>.</summary>
    public async Task<JsonElement> ListAsync()
    {
        var list = await PodwakeCli.RunAsync("sidecar", "list", Name, "--json");
        if (list.ExitCode != 0)
        {
            throw new InvalidOperationException(list.ToString());
        }

        using var document = JsonDocument.Parse(list.Stdout);
        return document.RootElement.Clone();
    }

    public void Dispose()
    {
        if (Directory.Exists(Paths.Directory))
        {
            Directory.Delete(Paths.Directory, recursive: true);
        }
    }
}
