namespace Podwake.Podman;

/// <summary>The <c>condition</c> of <c>POST /libpod/containers/{id}/wait</c>.</summary>
internal enum ContainerWaitCondition
{
    Configured,
    Created,
    Running,
    Stopped,
    Paused,
    Exited,
    Removing,
    Stopping,
}
