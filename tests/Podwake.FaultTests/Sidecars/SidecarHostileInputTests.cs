using System.Text.Json;
using Podwake.IntegrationTests.Infrastructure;
using Podwake.Podman;
using Xunit;

namespace Podwake.FaultTests.Sidecars;

/// <summary>
/// A side-car's key and arguments are the caller's text: spaces, quotes, <c>$(...)</c>, backticks, <c>;</c>, newlines,
/// <c>../</c>, terminal escapes, long values. They reach the container verbatim (as its argv and its key label), are
/// never run by a shell, never name a file outside the state folder, and never reach a terminal as escapes (serve's
/// log, <c>podwake sidecar list</c>).
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class SidecarHostileInputTests : IDisposable
{
    private const string Escape = "\u001b";

    private readonly PodmanFixture _podman;
    private readonly TempDirectory _dir = new();
    private readonly List<TestSidecarService> _services = [];

    public SidecarHostileInputTests(PodmanFixture podman)
    {
        _podman = podman;
    }

    public void Dispose()
    {
        _services.ForEach(s => s.Dispose());
        _dir.Dispose();
    }

    [PodmanFact]
    public async Task HostileKeyAndArguments_ReachTheContainerVerbatim_NothingRunOrWrittenElsewhere_NoEscapeReachesATerminal()
    {
        var service = await NewAsync("env:AGENT_KEY");
        var pwned = Path.Combine(_dir.Path, "pwned");
        var key = $"../../pwned $(touch {pwned});`id`\n'\"{Escape}]0;t\a{Escape}[31m";
        string[] arguments =
        [
            "two words", "'single'", "\"double\"", $"$(touch {pwned})", $"`touch {pwned}`", $"a; touch {pwned}", $"a\ntouch {pwned}\n",
            "../../../../../../etc/podwake-pwned", $"{Escape}]0;title\a{Escape}[2J", "-n", "", "\\", "%s%n", new string('x', 100_000), "ünïcödé ✓",
        ];
        await using var serve = await ServeProcess.StartServingAsync(service.File);

        var call = await service.CallAsync(new Dictionary<string, string> { ["AGENT_KEY"] = key }, null, arguments);

        Assert.True(call.ExitCode == 0, $"{call}\n{serve.Stderr}");
        var container = service.Container(key);
        Assert.Matches(@"^podwake-[a-z0-9-]+\._[0-9a-f]{16}$", container);
        var inspect = await PodwakeCli.RunProgramAsync("podman", "inspect", "--format", "{{json .Config.Cmd}}", container);
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        Assert.Equal(["/bin/sh", "-c", "sleep 1000", "sh", .. arguments], JsonSerializer.Deserialize<List<string>>(inspect.Stdout)!);
        var summary = (await _podman.Client.ListContainersAsync($"{ContainerLabels.Service}={service.Name}", CancellationToken.None)).Single();
        Assert.Equal(key, summary.Labels![ContainerLabels.SidecarKey]);

        Assert.False(File.Exists(pwned), "a shell ran the caller's text");
        Assert.False(File.Exists("/etc/podwake-pwned"));
        Assert.Equal([Path.GetFileName(container)[(service.Name.Length + "podwake-.".Length)..] + ".call"],
            Directory.EnumerateFileSystemEntries(service.Paths.Keys).Select(Path.GetFileName));
        Assert.Empty(Directory.EnumerateFileSystemEntries(service.Paths.Calls));

        var list = await PodwakeCli.RunAsync("sidecar", "list", service.Name);
        Assert.True(list.ExitCode == 0, list.ToString());
        Assert.DoesNotContain(Escape, list.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("\a", list.Stdout, StringComparison.Ordinal);
        Assert.Equal(2, list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.DoesNotContain(Escape, serve.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(serve.Stderr.Split('\n'), l => l.StartsWith("touch ", StringComparison.Ordinal) || l.StartsWith('\'') || l.StartsWith("pwned", StringComparison.Ordinal));
    }

    [PodmanFact]
    public async Task MalformedCall_WithEscapesInIt_IsRefused_ItsTextNeverReachesServesLogAsEscapes()
    {
        var service = await NewAsync("env:AGENT_KEY");
        await using var serve = await ServeProcess.StartServingAsync(service.File);

        // A caller writing the call file by hand: a line that is not the format, carrying terminal escapes.
        var id = "feedf00d";
        File.WriteAllText(Path.Combine(service.Paths.Calls, id + ".call"), $"podwake-sidecar-call 1\nid {id}\ntime 1\n{Escape}]0;owned\a{Escape}[2J\rfake log line\nend\n");
        File.SetLastWriteTimeUtc(service.Paths.Timestamp, DateTime.UtcNow);

        var answer = Path.Combine(service.Paths.Status, id);
        await Eventually.TrueAsync(() => Task.FromResult(File.Exists(answer)), TimeSpan.FromSeconds(10), () => serve.Stderr);
        Assert.StartsWith("failed\n", File.ReadAllText(answer), StringComparison.Ordinal);
        await Eventually.TrueAsync(() => Task.FromResult(serve.Stderr.Contains(id, StringComparison.Ordinal)), TimeSpan.FromSeconds(5), () => serve.Stderr);
        Assert.DoesNotContain(Escape, serve.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", serve.Stderr, StringComparison.Ordinal);
        Assert.False(serve.HasExited);
    }

    [PodmanFact]
    public async Task ArgumentThatIsNotUtf8_FailsTheCallWith125AndAClearMessage_ServeGoesOn()
    {
        var service = await NewAsync("env:AGENT_KEY");
        await using var serve = await ServeProcess.StartServingAsync(service.File);

        var call = await PodwakeCli.RunProgramAsync("env", "AGENT_KEY=k", "/bin/sh", "-c", "exec \"$0\" ok \"$(printf 'a\\377\\376b')\"", service.Wrapper);

        Assert.True(call.ExitCode == 125, call.ToString());
        Assert.Contains("argument 2 is not UTF-8 text", call.Stderr, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(service.Paths.Calls));
        Assert.Equal(0, (await service.CallAsync(new Dictionary<string, string> { ["AGENT_KEY"] = "k" }, null, "fine")).ExitCode);
    }

    private async Task<TestSidecarService> NewAsync(string key)
    {
        var service = await TestSidecarService.CreateAsync(_dir.Path, key, extra: "  timeout: 20s", command: "[/bin/sh, -c, 'sleep 1000', sh]");
        _services.Add(service);
        return service;
    }
}
