namespace Podwake.Podman;

/// <summary>Labels podwake puts on the containers it creates, so they can be found and cleaned up.</summary>
internal static class ContainerLabels
{
    public const string Service = "io.podwake.service";

    /// <summary>Which runtime created the container: <c>serve</c> or <c>systemd</c>.</summary>
    public const string Manager = "io.podwake.manager";

    /// <summary>A deployed container's identity (<see cref="SpecHash"/>): same hash on redeploy = the container is kept.</summary>
    public const string SpecHash = "io.podwake.spec-hash";
}
