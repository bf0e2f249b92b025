using System.Diagnostics;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>Runs the podwake binary built beside the tests (the one deploy then writes into the units) to completion.</summary>
internal static class PodwakeCli
{
    public static async Task<CliResult> RunAsync(params string[] arguments) => await RunProgramAsync(ServeProcess.PodwakePath, arguments);

    /// <summary>Runs any program, with the test user manager's runtime directory (systemctl --user, podman).</summary>
    public static async Task<CliResult> RunProgramAsync(string program, params string[] arguments)
    {
        var start = new ProcessStartInfo(program, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = "/",
        };
        start.Environment["XDG_RUNTIME_DIR"] = UserManagerAvailability.RuntimeDirectory;
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        await process.WaitForExitAsync(cts.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}
