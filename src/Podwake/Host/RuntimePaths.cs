namespace Podwake.Host;

/// <summary>
/// Where podwake keeps its runtime files: <c>/run/podwake</c> for root, <c>$XDG_RUNTIME_DIR/podwake</c>
/// for other users, as podman does with <c>/run/podman</c> and <c>$XDG_RUNTIME_DIR/podman</c>.
/// </summary>
internal sealed record RuntimePaths(string Directory)
{
    public static RuntimePaths FromEnvironment()
    {
        if (Environment.IsPrivilegedProcess)
        {
            return ForRoot;
        }

        var xdg = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR");
        if (string.IsNullOrEmpty(xdg))
        {
            throw new EnvironmentException(
                "XDG_RUNTIME_DIR is not set: log in through a session that sets it (systemd-logind does), "
                + "or create /run/user/$(id -u) owned by you with mode 0700 and export XDG_RUNTIME_DIR=/run/user/$(id -u)");
        }

        return ForUser(xdg);
    }

    /// <summary>Root's, whichever manager runs it (system or root's own user manager).</summary>
    public static RuntimePaths ForRoot { get; } = new("/run/podwake");

    /// <summary>A non-root user's, under their <c>XDG_RUNTIME_DIR</c> (<c>/run/user/UID</c>).</summary>
    public static RuntimePaths ForUser(string xdgRuntimeDirectory) => new(Path.Combine(xdgRuntimeDirectory, "podwake"));

    public string ControlSocket(int pid) => Path.Combine(Directory, $"serve-{pid}.sock");

    public IEnumerable<string> ControlSockets() =>
        System.IO.Directory.Exists(Directory) ? System.IO.Directory.EnumerateFiles(Directory, "serve-*.sock") : [];

    /// <summary>Where <c>podwake activate</c> leaves the last state of a deployed service when it exits (last wake time).</summary>
    public string LastStateFile(string service) => Path.Combine(Directory, $"activate-{service}.json");

    /// <summary>The Kubernetes YAML <c>podwake serve</c> played for a <c>pod:</c> service (kept for <c>podman kube play --down</c>).</summary>
    public string PodFile(string service) => Path.Combine(Directory, $"pod-{service}.yaml");

    /// <summary>Where podwake keeps each service's own log lines (<c>log/NAME.jsonl</c>, rotated to <c>NAME.jsonl.1</c>).</summary>
    public string LogDirectory => Path.Combine(Directory, "log");

    /// <summary>The service's own log lines, one JSON object a line (Logs/ServiceLogFile).</summary>
    public string LogFile(string service) => Path.Combine(LogDirectory, $"{service}.jsonl");

    /// <summary>The service's previous log file, kept once when <see cref="LogFile"/> is rotated.</summary>
    public string OldLogFile(string service) => LogFile(service) + ".1";

    public void EnsureExists() =>
        System.IO.Directory.CreateDirectory(Directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
}
