namespace Podwake.Podman;

/// <summary><c>State</c> of a container inspect: Status is <c>created</c>, <c>running</c>, <c>exited</c>, <c>stopped</c>, <c>paused</c>...</summary>
internal sealed record ContainerState
{
    public required string Status { get; init; }

    public bool Running { get; init; }

    /// <summary>PID of the container's PID 1 on the host (catatonit with <c>init</c>); 0 when not running.</summary>
    public int Pid { get; init; }

    public int ExitCode { get; init; }

    public string? Error { get; init; }

    public DateTimeOffset StartedAt { get; init; }

    public DateTimeOffset FinishedAt { get; init; }
}
