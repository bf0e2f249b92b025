namespace Podwake.Systemd;

/// <summary>What kind of systemd host this is: booted with systemd as PID 1 (and so with logind), or not.</summary>
/// <remarks>
/// Not sd_booted()'s test (<c>/run/systemd/system</c> exists): starting a user manager without systemd as PID 1 creates
/// that directory for a moment (README, "Host notes"), and other tools may leave it behind; PID 1's name does not lie.
/// </remarks>
internal static class SystemdHost
{
    /// <summary>systemd is PID 1: the system manager runs and <c>systemctl --system</c> works.</summary>
    public static bool IsBooted => ReadPid1Name() == "systemd";

    /// <summary>systemd-logind runs: user managers are started by <c>loginctl enable-linger</c>.</summary>
    public static bool HasLogind => IsBooted && Directory.Exists("/run/systemd/seats");

    private static string ReadPid1Name()
    {
        try
        {
            return File.ReadAllText("/proc/1/comm").Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }
}
