using Podwake.Activation;
using Podwake.Podman;

namespace Podwake.Serve;

/// <summary>
/// What <c>podwake serve</c> runs for a service: a single container (<see cref="ContainerWorkload"/>) or a pod played from
/// a Kubernetes file (<see cref="PodWorkload"/>). Created once at start, woken and stopped by the activator, told
/// podman's events, removed when serve exits.
/// </summary>
internal interface IServeWorkload : IWorkload
{
    /// <summary>What status and logs call it: the container's or the pod's name.</summary>
    string DisplayName { get; }

    /// <summary>Creates it, not running (replacing a leftover of an earlier serve with the same names).</summary>
    Task CreateAsync(CancellationToken cancellationToken);

    /// <summary>Stops and removes everything it created; idempotent.</summary>
    Task RemoveAsync(CancellationToken cancellationToken);

    /// <summary>The last resort when podman's API stays away at exit: removal with the podman command, which needs no service.</summary>
    Task RemoveWithCliAsync(string podman);

    /// <summary>One of podman's events (a container of it died, ...).</summary>
    void OnEvent(PodmanEvent podmanEvent);
}
