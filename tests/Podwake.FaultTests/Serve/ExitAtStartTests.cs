using Podwake.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Podwake.FaultTests.Serve;

/// <summary>
/// An app that prints a config error and exits 3 at start: serve says which container exited with which code and
/// shows its last lines, in the log and in <c>podwake status</c>, and retries per the restart policy with backoff.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class ExitAtStartTests : IAsyncLifetime
{
    private const string FailingCommand = """["/bin/busybox", "sh", "-c", "echo starting; echo 'config error: DATABASE_URL not set' >&2; exit 3"]""";

    private readonly TempDirectory _dir = new();
    private readonly ITestOutputHelper _output;

    public ExitAtStartTests(ITestOutputHelper output) => _output = output;

    public Task InitializeAsync() => TestImages.BusyboxAsync();

    public Task DisposeAsync()
    {
        _dir.Dispose();
        return Task.CompletedTask;
    }

    [PodmanFact]
    public async Task ExitsWith3AtStart_OnFailure_RetriedWithBackoff_ExitCodeAndLastLinesInLogAndStatus()
    {
        var svc = TestServiceFile.Create(_dir.Path, readyTimeout: "20s", command: FailingCommand);
        await using var serve = await ServeProcess.StartServingAsync(svc.File);

        var outcome = await RawHttp.GetAsync(svc.Endpoint);

        // Held through the restart policy's three attempts, then a clean close: nothing can answer it.
        Assert.Equal(HttpOutcomeKind.ClosedWithoutResponse, outcome.Kind);
        var status = await serve.ServiceStatusAsync(svc.Name);
        var lastError = status.GetProperty("last_error").GetString();
        _output.WriteLine($"last_error: {lastError}\nlog:\n{serve.Stderr}");
        Assert.Equal("failed", status.GetProperty("state").GetString());
        Assert.Equal(3, status.GetProperty("failed_wakes").GetInt64());
        Assert.Equal($"container {svc.Container} exited with code 3 during start; its last lines:\n  starting\n  config error: DATABASE_URL not set", lastError);
        var log = VanishedContainerTests.LogLines(serve);
        Assert.Single(log, l => l.Contains($"failed to wake: container {svc.Container} exited with code 3 during start; its last lines:", StringComparison.Ordinal)
            && l.Contains("config error: DATABASE_URL not set", StringComparison.Ordinal)
            && l.Contains("restart: on-failure retries in 100 ms", StringComparison.Ordinal));
        Assert.DoesNotContain(log, l => l.Contains("/proc/", StringComparison.Ordinal));

        var table = await PodwakeCli.RunAsync("status", svc.Name);
        Assert.Contains($"{svc.Name}: last wake failed: container {svc.Container} exited with code 3 during start; its last lines:\n  starting\n  config error: DATABASE_URL not set", table.Stdout, StringComparison.Ordinal);
    }

    [PodmanFact]
    public async Task ExitsWith3AtStart_RestartNo_NotRetried()
    {
        var svc = TestServiceFile.Create(_dir.Path, command: FailingCommand, extra: "restart: no");
        await using var serve = await ServeProcess.StartServingAsync(svc.File);

        Assert.Equal(HttpOutcomeKind.ClosedWithoutResponse, (await RawHttp.GetAsync(svc.Endpoint)).Kind);

        var status = await serve.ServiceStatusAsync(svc.Name);
        Assert.Equal(1, status.GetProperty("failed_wakes").GetInt64());
        Assert.StartsWith($"container {svc.Container} exited with code 3 during start", status.GetProperty("last_error").GetString(), StringComparison.Ordinal);
    }
}
