namespace Podwake.Specs;

/// <summary>
/// <c>sidecar:</c>: instead of listeners, a command wrapper. Each call of the wrapper records the call (its arguments,
/// the environment variables named here, the caller's network namespace) in the service's state folder; sync keeps one
/// container per key running the call (<see cref="Command"/> followed by the call's arguments).
/// </summary>
internal sealed record SidecarSpec
{
    /// <summary>How long a call waits, by default, for its container to run before it fails.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Absolute path where deploy and serve write the executable wrapper (e.g. in place of the program it replaces).</summary>
    public required string Wrapper { get; init; }

    /// <summary>What the container runs; the call's arguments follow it.</summary>
    public required IReadOnlyList<string> Command { get; init; }

    /// <summary>Which container a call belongs to.</summary>
    public required SidecarKey Key { get; init; }

    /// <summary>Variables of the call's environment that are recorded and passed to the container (<c>pass_env:</c>).</summary>
    public IReadOnlyList<string> PassEnv { get; init; } = [];

    /// <summary>
    /// The wrapper waits for the container to exit and passes its exit code, stdout and stderr back (<c>foreground: true</c>);
    /// a call can also ask for it with <c>PODWAKE_FOREGROUND=1</c> in its environment.
    /// </summary>
    public bool Foreground { get; init; }

    /// <summary>How long a call waits for its container to run (and for podwake to pick the call up) before it fails.</summary>
    public TimeSpan Timeout { get; init; } = DefaultTimeout;

    /// <summary>Where <c>sidecar:</c> was written.</summary>
    public required SourceLocation Location { get; init; }
}
