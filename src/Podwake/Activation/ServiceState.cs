namespace Podwake.Activation;

/// <summary>The activation states a user sees in <c>podwake status</c>.</summary>
internal enum ServiceState
{
    /// <summary>No container runs; the listeners accept and hold connections.</summary>
    Dormant,

    /// <summary>The container is starting or not ready yet; connections are held.</summary>
    Waking,

    /// <summary>Traffic flows to the container.</summary>
    Ready,

    /// <summary>Idle: the container is being stopped.</summary>
    Stopping,

    /// <summary>The last wake failed; the next connection tries again.</summary>
    Failed,
}
