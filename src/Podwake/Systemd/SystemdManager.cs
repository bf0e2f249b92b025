
namespace Podwake.Systemd;

/// <summary>
/// One systemd service manager: the system's, or one user's (<c>systemd --user</c>). Knows where that manager
/// reads units from and what its specifiers resolve to, and how to reach it with systemctl.
/// </summary>
/// <param name="IsSystem">The system manager (<c>systemctl --system</c>), else a user manager.</param>
/// <param name="UserName">The user whose manager this is when it is not this process's own user; null otherwise.</param>
/// <param name="Home">That user's home (user managers), for <c>~/.config</c>.</param>
/// <param name="RuntimeDirectory">What <c>%t</c> resolves to: <c>/run</c>, or the user's <c>XDG_RUNTIME_DIR</c>.</param>
internal sealed record SystemdManager(bool IsSystem, string? UserName, string Home, string RuntimeDirectory)
{
    /// <summary>What <c>%E</c> resolves to: <c>/etc</c>, or the user's <c>~/.config</c> (systemd.unit(5), "Specifiers").</summary>
    public string ConfigDirectory => IsSystem ? "/etc" : Path.Combine(Home, ".config");

    /// <summary>Where administrator units live: <c>/etc/systemd/system</c>, or <c>~/.config/systemd/user</c>.</summary>
    public string UnitDirectory => IsSystem ? "/etc/systemd/system" : Path.Combine(ConfigDirectory, "systemd", "user");

    /// <summary>The flag systemctl and systemd-analyze take for this manager.</summary>
    public string ScopeFlag => IsSystem ? "--system" : "--user";

    public static SystemdManager System { get; } = new(true, null, "/root", "/run");

    /// <summary>The manager of the user this process runs as; it needs XDG_RUNTIME_DIR, as systemctl --user does.</summary>
    public static SystemdManager CurrentUser()
    {
        var runtime = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (string.IsNullOrEmpty(runtime))
        {
            throw new EnvironmentException(
                "XDG_RUNTIME_DIR is not set, so the user's systemd manager cannot be reached: log in through a session that sets it "
                + "(systemd-logind does), or export XDG_RUNTIME_DIR=/run/user/$(id -u); use --system for the system manager");
        }

        return new SystemdManager(false, null, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), runtime);
    }

    /// <summary>Another user's manager, reached as that user (root only).</summary>
    public static SystemdManager OfUser(string userName, int uid, string home) =>
        new(false, userName, home, $"/run/user/{uid}");
}
