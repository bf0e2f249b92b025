namespace Podwake.Podman;

/// <summary>What <see cref="PodmanService"/> reads from the process environment; tests pass their own.</summary>
internal sealed record PodmanEnvironment
{
    /// <summary><c>$CONTAINER_HOST</c>; only a <c>unix://PATH</c> value is used.</summary>
    public string? ContainerHost { get; init; }

    /// <summary><c>$XDG_RUNTIME_DIR</c>; required for rootless podman.</summary>
    public string? XdgRuntimeDir { get; init; }

    public required bool IsRoot { get; init; }

    /// <summary>The podman binary; null when it is not installed.</summary>
    public string? PodmanPath { get; init; }

    public required int ProcessId { get; init; }

    public static PodmanEnvironment FromCurrentProcess() => new()
    {
        ContainerHost = Environment.GetEnvironmentVariable("CONTAINER_HOST"),
        XdgRuntimeDir = Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR"),
        IsRoot = Environment.IsPrivilegedProcess,
        PodmanPath = PodmanBinary.OnPath(),
        ProcessId = Environment.ProcessId,
    };

    public static string? FindOnPath(string program, string? path)
    {
        foreach (var directory in (path ?? "/usr/local/bin:/usr/bin:/bin").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
