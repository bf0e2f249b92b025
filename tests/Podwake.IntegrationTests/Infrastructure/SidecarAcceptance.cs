using System.Text.Json;
using Podwake.Podman;
using Xunit;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>The acceptance points that hold alike under serve and under systemd, checked one way for both.</summary>
internal static class SidecarAcceptance
{
    /// <summary>
    /// 20 concurrent calls over the 5 namespaces (four each, each naming itself in the page it serves) leave exactly one
    /// container per namespace running its listed call, answering inside that namespace only, and a list that says so.
    /// </summary>
    /// <param name="log">What the runtime logged, for a failure's message.</param>
    public static async Task TwentyCallsOverFiveNamespacesAsync(TestSidecarService service, TestNetns netns, PodmanClient podman, Func<string> log)
    {
        var port = FreePorts.Next();
        var calls = Enumerable.Range(0, 20)
            .Select(i => (Netns: netns.Names[i % 5], Word: $"call-{i}"))
            .Select(c => (c.Netns, c.Word, Task: service.CallAsync(null, c.Netns, port.ToString(), c.Word)))
            .ToList();
        await Task.WhenAll(calls.Select(c => c.Task));
        foreach (var call in calls)
        {
            Assert.True(call.Task.Result.ExitCode == 0, $"{call.Word} in {call.Netns}: {call.Task.Result}\n{log()}");
        }

        var list = (await service.ListAsync()).EnumerateArray().ToList();
        Assert.Equal(netns.Names.Order(StringComparer.Ordinal), list.Select(k => k.GetProperty("key").GetString()!));
        var containers = await service.ContainersAsync(podman);
        Assert.Equal(5, containers.Count);
        foreach (var entry in list)
        {
            var key = entry.GetProperty("key").GetString()!;
            Assert.Equal("running", entry.GetProperty("state").GetString());
            var arguments = entry.GetProperty("arguments").EnumerateArray().Select(a => a.GetString()!).ToList();
            var word = arguments[1];
            Assert.Contains(calls, c => c.Netns == key && c.Word == word);

            // The container runs the listed call, and serves in its namespace what that call said.
            var container = containers.Single(c => c.Name == service.Container(key));
            Assert.Equal(entry.GetProperty("call").GetString(), container.Labels![ContainerLabels.SidecarCall]);
            Assert.Equal(["/bin/sh", "/agent.sh", .. arguments], await CommandAsync(container.Name));
            var page = await TestNetns.ExecAsync(key, "curl", "-fsS", "--max-time", "5", $"http://127.0.0.1:{port}/");
            Assert.True(page.ExitCode == 0 && page.Stdout.Trim() == word, $"in {key}: {page}");
        }

        // Not on the host's loopback: each listens inside its namespace only.
        Assert.NotEqual(0, (await PodwakeCli.RunProgramAsync("curl", "-fsS", "--max-time", "2", $"http://127.0.0.1:{port}/")).ExitCode);
    }

    /// <summary>What the container runs (its Config.Cmd), as podman inspect shows it.</summary>
    public static async Task<List<string>> CommandAsync(string container)
    {
        var inspect = await PodwakeCli.RunProgramAsync("podman", "inspect", "--format", "{{json .Config.Cmd}}", container);
        Assert.True(inspect.ExitCode == 0, inspect.ToString());
        return JsonSerializer.Deserialize<List<string>>(inspect.Stdout)!;
    }

    /// <summary>The environment of a call with an <c>env:AGENT_KEY</c> key.</summary>
    public static Dictionary<string, string> Key(string key) => new() { ["AGENT_KEY"] = key };

    public static async Task<string> LogsAsync(PodmanClient podman, string container) =>
        string.Join('\n', await podman.TailLogsAsync(container, 100, null, CancellationToken.None));
}
