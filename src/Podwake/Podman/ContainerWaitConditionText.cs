namespace Podwake.Podman;

/// <summary>The words of <see cref="ContainerWaitCondition"/>: libpod's <c>condition=</c> values of <c>containers/{id}/wait</c>.</summary>
internal static class ContainerWaitConditionText
{
    public static EnumText<ContainerWaitCondition> Table { get; } = new(
        (ContainerWaitCondition.Configured, "configured"),
        (ContainerWaitCondition.Created, "created"),
        (ContainerWaitCondition.Running, "running"),
        (ContainerWaitCondition.Stopped, "stopped"),
        (ContainerWaitCondition.Paused, "paused"),
        (ContainerWaitCondition.Exited, "exited"),
        (ContainerWaitCondition.Removing, "removing"),
        (ContainerWaitCondition.Stopping, "stopping"));

    public static string ToText(this ContainerWaitCondition value) => Table.ToText(value);
}
