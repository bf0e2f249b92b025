using System.Diagnostics;
using System.Net;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Podwake.FaultTests.Serve;

/// <summary>
/// A service's container or its image removed behind serve's back while clients request: serve creates the container
/// again (or fails with one clear line and backs off while the image is missing), never refuses or resets a client,
/// and recovers by itself once the cause is gone.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class VanishedContainerTests : IAsyncLifetime
{
    private readonly TempDirectory _dir = new();
    private readonly ITestOutputHelper _output;
    private string? _image;

    public VanishedContainerTests(ITestOutputHelper output) => _output = output;

    public Task InitializeAsync() => TestImages.BusyboxAsync();

    public async Task DisposeAsync()
    {
        if (_image is not null)
        {
            await PodwakeCli.RunProgramAsync("podman", "rmi", "-f", _image);
        }

        _dir.Dispose();
    }

    [PodmanFact]
    public async Task ContainerRemovedWhileClientsRequest_CreatedAgain_NoClientRefusedOrReset_LogBounded()
    {
        var svc = TestServiceFile.Create(_dir.Path);
        await using var serve = await ServeProcess.StartServingAsync(svc.File);
        Assert.Equal(200, (await RawHttp.GetAsync(svc.Endpoint)).Status);
        var oldId = await ContainerIdAsync(svc.Container);

        var loops = Enumerable.Range(0, 4).Select(_ => new ClientLoop(svc.Endpoint)).ToList();
        await Task.Delay(500); // the scenario: the rm comes while the client loops are under way
        var linesBefore = LogLines(serve).Count;
        var removed = Stopwatch.StartNew();
        var rm = await PodwakeCli.RunProgramAsync("podman", "rm", "-f", svc.Container);
        Assert.True(rm.ExitCode == 0, rm.ToString());

        await Eventually.TrueAsync(async () => await ContainerIdAsync(svc.Container) is { } id && id != oldId && await RunningAsync(svc.Container), TimeSpan.FromSeconds(20));
        var recovered = removed.Elapsed;
        await Task.Delay(3000); // the scenario: the client loops go on for 3 s against the new container
        foreach (var loop in loops)
        {
            await loop.DisposeAsync();
        }

        var after = LogLines(serve).Skip(linesBefore).ToList();
        _output.WriteLine($"recovered {recovered.TotalSeconds:F1} s after podman rm -f; clients: {string.Join(" | ", loops)}; {after.Count} log lines:\n{string.Join('\n', after)}");
        Assert.All(loops, loop =>
        {
            Assert.Equal(0, loop.Count(HttpOutcomeKind.Refused));
            Assert.Equal(0, loop.Count(HttpOutcomeKind.Reset));
            Assert.Equal(0, loop.Count(HttpOutcomeKind.TimedOut));
            Assert.True(loop.Count(HttpOutcomeKind.Response) > 10, loop.ToString());
        });

        // Before: one failed wake, one error and one stack trace per connection (430 in 20 s with one client).
        Assert.InRange(after.Count, 1, 20);
        Assert.DoesNotContain(after, l => l.Contains("   at ", StringComparison.Ordinal));
        Assert.Contains(after, l => l.Contains($"container {svc.Container} was gone", StringComparison.Ordinal));
        Assert.Equal(200, (await RawHttp.GetAsync(svc.Endpoint)).Status);
        Assert.False(serve.HasExited);
    }

    [PodmanFact]
    public async Task ImageRemoved_FailsWithOneLineNamingTheImage_BacksOff_RecoversWhenRestored()
    {
        // An image of this test's own (unique content, so a unique ID): podman rmi -f removes it and the container.
        _image = $"localhost/{TestNames.Unique()}:1";
        using var context = new TempDirectory();
        TestImages.WriteBusyboxContext(context.Path);
        File.WriteAllText(Path.Combine(context.Path, "www", "unique.txt"), _image);
        await TestImages.BuildContextAsync(context.Path, _image);

        var svc = WriteService(_image);
        await using var serve = await ServeProcess.StartServingAsync(svc.File);
        Assert.Equal(200, (await RawHttp.GetAsync(svc.Endpoint)).Status);

        var linesBefore = LogLines(serve).Count;
        var rmi = await PodwakeCli.RunProgramAsync("podman", "rmi", "-f", _image);
        Assert.True(rmi.ExitCode == 0, rmi.ToString());
        await using (var loop = new ClientLoop(svc.Endpoint))
        {
            await Task.Delay(TimeSpan.FromSeconds(10)); // the scenario: 10 s of requests while the image is gone (wakes back off)
            await loop.StopAsync();
            _output.WriteLine($"while the image was gone: {loop}");
            Assert.Equal(0, loop.Count(HttpOutcomeKind.Refused));
            Assert.Equal(0, loop.Count(HttpOutcomeKind.Reset));
        }

        var status = await serve.ServiceStatusAsync(svc.Name);
        Assert.Equal("failed", status.GetProperty("state").GetString());
        var lastError = status.GetProperty("last_error").GetString();
        Assert.Contains(_image, lastError, StringComparison.Ordinal);
        Assert.Contains("podman pull", lastError, StringComparison.Ordinal);
        var failedWakes = status.GetProperty("failed_wakes").GetInt64();
        var during = LogLines(serve).Skip(linesBefore).ToList();
        _output.WriteLine($"{failedWakes} failed wakes, {during.Count} log lines:\n{string.Join('\n', during)}");

        // Backoff: 100 ms doubling; about 10 tries in 10 s, not one per connection.
        Assert.InRange(failedWakes, 1, 20);
        Assert.InRange(during.Count, 1, 12);
        Assert.Single(during, l => l.Contains("failed to wake", StringComparison.Ordinal) && l.Contains(_image, StringComparison.Ordinal));
        Assert.DoesNotContain(during, l => l.Contains("   at ", StringComparison.Ordinal));
        Assert.False(serve.HasExited);

        // Restored: the next connection after the backoff (at most 30 s) wakes it again.
        await TestImages.BuildContextAsync(context.Path, _image);
        var restored = Stopwatch.StartNew();
        await Eventually.TrueAsync(async () => (await RawHttp.GetAsync(svc.Endpoint, timeout: TimeSpan.FromSeconds(10))).Status == 200, TimeSpan.FromSeconds(45));
        _output.WriteLine($"served again {restored.Elapsed.TotalSeconds:F1} s after the image was restored");
        Assert.Equal("ready", (await serve.ServiceStatusAsync(svc.Name)).GetProperty("state").GetString());
    }

    private TestServiceFile WriteService(string image)
    {
        var name = TestNames.Unique()["podwake-".Length..];
        var port = FreePorts.Next();
        var file = Path.Combine(_dir.Path, $"{name}.yaml");
        File.WriteAllText(file, $"""
            name: {name}
            image: {image}
            ports:
              - listen: 127.0.0.1:{port}
                container: 8080
            idle: 30s
            ready:
              tcp: 8080
              timeout: 30s
            """);
        return new TestServiceFile(name, file, new IPEndPoint(IPAddress.Loopback, port));
    }

    internal static List<string> LogLines(ServeProcess serve) =>
        [.. serve.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries)];

    private static async Task<string?> ContainerIdAsync(string container)
    {
        var result = await PodwakeCli.RunProgramAsync("podman", "container", "inspect", "--format", "{{.Id}}", container);
        return result.ExitCode == 0 ? result.Stdout.Trim() : null;
    }

    private static async Task<bool> RunningAsync(string container)
    {
        var result = await PodwakeCli.RunProgramAsync("podman", "container", "inspect", "--format", "{{.State.Running}}", container);
        return result.ExitCode == 0 && result.Stdout.Trim() == "true";
    }
}
