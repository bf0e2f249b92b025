using Podwake.Podman;

namespace Podwake.Units;

/// <summary>Where the units go and what they run.</summary>
internal sealed record UnitGeneratorOptions
{
    public const string DefaultPodwakePath = "/usr/local/bin/podwake";

    /// <summary>Units for the system manager (<c>--system</c>) rather than a user's.</summary>
    public bool System { get; init; }

    /// <summary>
    /// podman runs rootless under the target manager (a non-root user's): the container publishes its ports on
    /// loopback, since the activator may not enter a network namespace owned by podman's user namespace.
    /// </summary>
    public bool Rootless { get; init; }

    /// <summary>
    /// The container joins the service's own network namespace (<c>Network.ServiceNetwork</c>), which a fourth
    /// unit, <c>podwake-NAME-network.service</c>, keeps attached to podman's CNI network while the service is deployed:
    /// a wake then skips podman's network set-up. Rootful podman with the CNI backend only.
    /// </summary>
    public bool NetworkNamespace { get; init; }

    /// <summary>Absolute path of the podwake binary the activator unit runs.</summary>
    public string PodwakePath { get; init; } = DefaultPodwakePath;

    /// <summary>Absolute path of podman for the container unit.</summary>
    public string PodmanPath { get; init; } = PodmanBinary.Installed;
}
