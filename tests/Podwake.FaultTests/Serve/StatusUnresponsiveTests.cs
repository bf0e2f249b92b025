using System.Diagnostics;
using System.Text.Json;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.FaultTests.Serve;

/// <summary><c>podwake status</c> when one serve does not answer (stopped with SIGSTOP), and root's status without XDG_RUNTIME_DIR.</summary>
[Collection(PodmanCollection.Name)]
public sealed class StatusUnresponsiveTests : IDisposable
{
    private const int SigStop = 19;
    private const int SigCont = 18;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [PodmanFact]
    public async Task OneOfTwoServesStopped_StatusListsTheOtherAndNamesTheStoppedOne()
    {
        await TestImages.BusyboxAsync();
        var stoppedService = TestServiceFile.Create(_dir.Path);
        var liveService = TestServiceFile.Create(_dir.Path);
        await using var stopped = await ServeProcess.StartServingAsync(stoppedService.File);
        await using var live = await ServeProcess.StartServingAsync(liveService.File);
        stopped.Signal(SigStop);
        try
        {
            var time = Stopwatch.StartNew();
            var result = await RunStatusAsync(TimeSpan.FromSeconds(60), keepXdg: true);
            time.Stop();

            Assert.True(result.ExitCode == 0, $"status failed with one serve stopped, after {time.ElapsedMilliseconds} ms: {result}");
            Assert.True(time.Elapsed < TimeSpan.FromSeconds(15), $"status took {time.ElapsedMilliseconds} ms with one serve stopped");
            using var json = JsonDocument.Parse(result.Stdout);
            var services = json.RootElement.EnumerateArray().SelectMany(d => d.GetProperty("services").EnumerateArray()).Select(s => s.GetProperty("name").GetString()).ToList();
            Assert.Contains(liveService.Name, services);
            Assert.Contains($"serve pid {stopped.Pid}", result.Stderr, StringComparison.Ordinal);
            Assert.Contains("unresponsive", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            stopped.Signal(SigCont);
        }
    }

    [UserManagerFact]
    public async Task RootWithoutXdgRuntimeDir_ListsRootManagersDeployments()
    {
        Assert.True(Environment.IsPrivilegedProcess, "this case is root's: the fault suite runs as root");
        await using var deployed = new DeployedService();
        deployed.Write(idle: "30s");
        await deployed.DeployOrFailAsync();

        var result = await RunStatusAsync(TimeSpan.FromSeconds(60), keepXdg: false);

        Assert.True(result.ExitCode == 0, $"status failed: {result}");
        Assert.Contains($"\"name\": \"{deployed.Name}\"", result.Stdout, StringComparison.Ordinal);
    }

    private static async Task<CliResult> RunStatusAsync(TimeSpan limit, bool keepXdg)
    {
        var start = new ProcessStartInfo(ServeProcess.PodwakePath, ["status", "--json"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        if (keepXdg)
        {
            start.Environment["XDG_RUNTIME_DIR"] = UserManagerAvailability.RuntimeDirectory;
        }
        else
        {
            start.Environment.Remove("XDG_RUNTIME_DIR");
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
