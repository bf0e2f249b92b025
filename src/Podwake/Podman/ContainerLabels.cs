namespace Podwake.Podman;

/// <summary>Labels podwake puts on the containers it creates, so they can be found and cleaned up.</summary>
internal static class ContainerLabels
{
    public const string Service = "io.podwake.service";

    /// <summary>Which runtime created the container: <c>serve</c> or <c>systemd</c>.</summary>
    public const string Manager = "io.podwake.manager";

    /// <summary>A deployed container's identity (<see cref="SpecHash"/>): same hash on redeploy = the container is kept.</summary>
    public const string SpecHash = "io.podwake.spec-hash";

    /// <summary>
    /// Digests of what the container was created from beyond its command line: the <c>env_file:</c> files and the
    /// <c>secrets:</c> files (keyed, so the label cannot be used to guess a secret); a change recreates the container.
    /// </summary>
    public const string Inputs = "io.podwake.inputs";

    /// <summary>A side-car container's key (the caller's data, as derived: a netns name, a variable's value, part of an argument).</summary>
    public const string SidecarKey = "io.podwake.sidecar.key";

    /// <summary>The call a side-car container runs (its ID): a later call for the key replaces the container.</summary>
    public const string SidecarCall = "io.podwake.sidecar.call";

    /// <summary>"true" on a side-car container whose caller waits for its exit (its code and output go back to the caller).</summary>
    public const string SidecarForeground = "io.podwake.sidecar.foreground";
}
