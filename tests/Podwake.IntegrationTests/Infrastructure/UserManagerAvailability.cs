using System.Diagnostics;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// Whether a real systemd user manager answers for the user running the tests (scripts/test starts one for root and
/// for the rootless user with <c>podwake user-manager start</c>); checked once per run.
/// </summary>
internal static class UserManagerAvailability
{
    private static readonly Lazy<string?> LazySkipReason = new(Probe);

    /// <summary>null when the manager answers; otherwise why not, and how to start one.</summary>
    public static string? SkipReason => PodmanAvailability.SkipReason ?? LazySkipReason.Value;

    /// <summary>What <c>%t</c> of the test user's manager is: root's is /run/user/0 even without a login session.</summary>
    public static string RuntimeDirectory =>
        Environment.IsPrivilegedProcess ? "/run/user/0" : Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") ?? "";

    private static string? Probe()
    {
        // SystemState, not is-system-running: that says "offline" whenever /run/systemd/system is missing, as it is
        // on a host whose PID 1 is not systemd once the manager has started.
        var start = new ProcessStartInfo("systemctl", ["--user", "show", "--property=SystemState", "--value"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        start.Environment["XDG_RUNTIME_DIR"] = RuntimeDirectory;
        try
        {
            using var process = Process.Start(start)!;
            var state = process.StandardOutput.ReadToEnd().Trim();
            process.WaitForExit();
            return state is "running" or "degraded"
                ? null
                : $"no systemd user manager answers for {Environment.UserName} ({state}): run `sudo podwake user-manager start {Environment.UserName}` (scripts/test does)";
        }
        catch (Exception e)
        {
            return $"systemctl cannot be run: {e.Message}";
        }
    }
}
