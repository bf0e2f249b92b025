namespace Podwake.Specs;

/// <summary>Parts of the service-file contract that a build may not implement yet; see <see cref="SupportedFeatures"/>.</summary>
internal enum SpecFeature
{
    /// <summary><c>run_as:</c> runs the service rootless as its own user.</summary>
    RunAs,

    /// <summary><c>expose:</c> a privileged port or outside address forwarded by a system unit.</summary>
    Expose,

    /// <summary><c>pod:</c> a Kubernetes Pod/Deployment run with podman kube play.</summary>
    Pod,

    /// <summary><c>update: registry</c>.</summary>
    RegistryUpdates,

    /// <summary><c>update: local</c>.</summary>
    LocalUpdates,
}
