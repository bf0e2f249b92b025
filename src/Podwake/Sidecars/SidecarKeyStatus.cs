namespace Podwake.Sidecars;

/// <summary>One key of a side-car service as <c>podwake sidecar list</c> and <c>status</c> show it.</summary>
internal sealed record SidecarKeyStatus
{
    public required string Key { get; init; }

    public required string Container { get; init; }

    /// <summary>podman's state of the container (<c>running</c>, <c>exited</c>...), <c>missing</c> when there is none, <c>pending</c> for a call not yet taken.</summary>
    public required string State { get; init; }

    public int? ExitCode { get; init; }

    /// <summary>The call in effect.</summary>
    public required string Call { get; init; }

    /// <summary>When that call was made.</summary>
    public required DateTimeOffset CalledAt { get; init; }

    public bool Foreground { get; init; }

    /// <summary>The call's arguments (after <c>sidecar.command</c>).</summary>
    public required IReadOnlyList<string> Arguments { get; init; }
}
