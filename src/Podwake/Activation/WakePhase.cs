namespace Podwake.Activation;

/// <summary>
/// The stretches of a wake, each named after the moment it ends at: the connection that started the wake was accepted →
/// podwake asked for the start → the container runs (podman, or systemd's container unit, says so) → the readiness
/// probe passed → the first byte went back to a client. Their durations add up to the wake's whole time to first byte.
/// </summary>
internal enum WakePhase
{
    /// <summary>Accepted → start requested: a wait for an earlier stop, a restart backoff, failed attempts before this one.</summary>
    StartRequested,

    /// <summary>Start requested → running: podman (or systemd) starting the container.</summary>
    Running,

    /// <summary>Running → ready: the application's own start, as the readiness probe saw it.</summary>
    Ready,

    /// <summary>Ready → first byte: the held connection reaches the container and its first answer comes back.</summary>
    FirstByte,
}
