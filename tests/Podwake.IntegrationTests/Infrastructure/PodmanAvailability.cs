using System.Diagnostics;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>Whether podman works for the user running the tests; checked once per test run.</summary>
internal static class PodmanAvailability
{
    private static readonly Lazy<string?> LazySkipReason = new(Probe);

    /// <summary>null when podman works; otherwise why not, and what to do.</summary>
    public static string? SkipReason => LazySkipReason.Value;

    /// <summary>Under CI (<c>CI=true</c>) nothing skips: a test that cannot run must fail loudly.</summary>
    public static bool IsCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static string? Probe()
    {
        var podman = Podwake.Podman.PodmanEnvironment.FindOnPath("podman", Environment.GetEnvironmentVariable("PATH"));
        if (podman is null)
        {
            return "podman is not installed (apt-get install podman, then run scripts/setup)";
        }

        if (!Environment.IsPrivilegedProcess && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR")))
        {
            return "XDG_RUNTIME_DIR is not set: rootless podman needs it (XDG_RUNTIME_DIR=/run/user/$(id -u))";
        }

        try
        {
            var start = new ProcessStartInfo(podman, ["info", "--format", "{{.Host.OCIRuntime.Name}}"])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                WorkingDirectory = "/",
            };
            using var process = Process.Start(start)!;
            var errors = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
            {
                process.Kill(entireProcessTree: true);
                return "'podman info' hung for 60 s";
            }

            return process.ExitCode == 0 ? null : $"'podman info' failed (run scripts/setup): {errors.Result.Trim()}";
        }
        catch (Exception e)
        {
            return $"podman cannot be run: {e.Message}";
        }
    }
}
