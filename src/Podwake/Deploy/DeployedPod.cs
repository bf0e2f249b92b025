using Podwake.Host;
using Podwake.Pods;
using Podwake.Podman;
using Podwake.Specs;
using Podwake.Units;

namespace Podwake.Deploy;

/// <summary>
/// A deployed <c>pod:</c> service's pod as deploy makes it (and <c>podwake activate</c> makes it again when it was
/// removed behind podwake's back): its play file played with podman's service container, the service container renamed
/// <see cref="UnitGenerator.ServiceContainerName"/>, everything stopped (dormant), and the link the container unit's
/// <c>PIDFile=</c> reads pointed at the service container's conmon pidfile.
/// </summary>
/// <remarks>
/// podman 4.3 refuses <c>--service-container</c> with <c>--start=false</c>, so a play runs the pod once; it is stopped at
/// once. libpod links a pod to its service container by ID (the pod's config), so the rename keeps the semantics, measured:
/// <c>podman pod stop</c> still stops it, <c>podman pod rm -f</c> still removes it.
/// </remarks>
internal static class DeployedPod
{
    /// <summary>The pod and its (renamed) service container both exist.</summary>
    public static async Task<bool> ExistsAsync(TargetPodman podman, string service, CancellationToken cancellationToken) =>
        (await podman.RunAsync(["pod", "exists", PodNames.Pod(service)], cancellationToken).ConfigureAwait(false)).ExitCode == 0
        && (await podman.RunAsync(["container", "exists", UnitGenerator.ServiceContainerName(service)], cancellationToken).ConfigureAwait(false)).ExitCode == 0;

    /// <summary>
    /// Every container of the pod runs the image its name stands for now: false when one was pulled or built anew under
    /// the same name since the play (a redeploy then replays the pod, as a single container is created again), or when
    /// podman cannot tell.
    /// </summary>
    public static async Task<bool> ImagesCurrentAsync(TargetPodman podman, ServiceSpec spec, CancellationToken cancellationToken)
    {
        var containers = spec.Kube!.Containers;
        var running = await podman.RunAsync(["container", "inspect", "--format", "{{.Image}}", .. containers.Select(c => PodNames.Container(spec.Name, c.Name))], cancellationToken)
            .ConfigureAwait(false);
        var named = await podman.RunAsync(["image", "inspect", "--format", "{{.Id}}", .. containers.Select(c => c.Image)], cancellationToken).ConfigureAwait(false);
        return running.Succeeded && named.Succeeded && Lines(running.Stdout).SequenceEqual(Lines(named.Stdout));
    }

    private static string[] Lines(string text) => text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>Plays <paramref name="playFile"/> (whose text is <paramref name="playedText"/>), dormant, replacing what was there.</summary>
    /// <param name="pidLink">The link the container unit's <c>PIDFile=</c> names (<see cref="SpecCopy.ConmonPidLinkFor"/>).</param>
    /// <param name="owner">Owner of the link (root deploying a <c>run_as:</c> service); null = this process.</param>
    public static async Task PlayAsync(
        TargetPodman podman, string service, string playFile, string playedText, string pidLink, UnixUser? owner, CancellationToken cancellationToken)
    {
        // What an earlier play left (a pod removed with its service container renamed away, a play killed before the
        // rename): kube play --replace removes the pod by name, not these.
        await RemoveAsync(podman, service, playedText, cancellationToken).ConfigureAwait(false);
        // A claim's volume is kept from one deploy to the next (undeploy keeps it too, unless --purge).
        await ClaimVolumes.EnsureAsync(playedText, (arguments, ct) => podman.RunAsync(arguments, ct), cancellationToken).ConfigureAwait(false);

        (await podman.RunAsync(["kube", "play", "--replace", "--service-container=true", playFile], cancellationToken).ConfigureAwait(false))
            .ThrowIfFailed($"play {playFile} (podman kube play) for {service}");
        var serviceContainer = UnitGenerator.ServiceContainerName(service);
        (await podman.RunAsync(["rename", PodNames.ServiceContainer(playedText), serviceContainer], cancellationToken).ConfigureAwait(false))
            .ThrowIfFailed($"rename the service container of {PodNames.Pod(service)} to {serviceContainer}");
        await StopAsync(podman, service, cancellationToken).ConfigureAwait(false);
        await LinkPidFileAsync(podman, service, pidLink, owner, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Points <paramref name="pidLink"/> at the service container's conmon pidfile, unless it does already.</summary>
    public static async Task LinkPidFileAsync(TargetPodman podman, string service, string pidLink, UnixUser? owner, CancellationToken cancellationToken)
    {
        var serviceContainer = UnitGenerator.ServiceContainerName(service);
        var inspect = (await podman.RunAsync(["container", "inspect", "--format", "{{.ConmonPidFile}}", serviceContainer], cancellationToken).ConfigureAwait(false))
            .ThrowIfFailed($"read the conmon pidfile of {serviceContainer}");
        var target = inspect.Stdout.Trim();
        if (target.Length == 0 || !target.StartsWith('/'))
        {
            throw new InvalidOperationException($"podman names no conmon pidfile for {serviceContainer} (\"{target}\"); deploy again");
        }

        if (HostFiles.LinkTarget(pidLink) != target)
        {
            HostFiles.LinkAtomically(pidLink, target, owner);
        }
    }

    /// <summary>The pod stopped first, then its service container (podman stops it with the pod; asked again).</summary>
    public static async Task StopAsync(TargetPodman podman, string service, CancellationToken cancellationToken)
    {
        var timeout = ContainerDefaults.StopTimeoutSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        (await podman.RunAsync(["pod", "stop", "--ignore", "-t", timeout, PodNames.Pod(service)], cancellationToken).ConfigureAwait(false))
            .ThrowIfFailed($"stop the pod {PodNames.Pod(service)}");
        (await podman.RunAsync(["stop", "--ignore", "-t", timeout, UnitGenerator.ServiceContainerName(service)], cancellationToken).ConfigureAwait(false))
            .ThrowIfFailed($"stop {UnitGenerator.ServiceContainerName(service)}");
    }

    /// <summary>
    /// Removes the pod (its containers and the volumes podman made for its emptyDirs go with it), then its service
    /// container, and the service container of <paramref name="playedText"/> under podman's own name (a play cut short).
    /// Named volumes (PersistentVolumeClaims) stay.
    /// </summary>
    public static async Task RemoveAsync(TargetPodman podman, string service, string? playedText, CancellationToken cancellationToken)
    {
        (await podman.RunAsync(["pod", "rm", "--force", "--ignore", PodNames.Pod(service)], cancellationToken).ConfigureAwait(false))
            .ThrowIfFailed($"remove the pod {PodNames.Pod(service)}");
        await podman.RemoveContainerAsync(UnitGenerator.ServiceContainerName(service), cancellationToken).ConfigureAwait(false);
        if (playedText is not null)
        {
            await podman.RemoveContainerAsync(PodNames.ServiceContainer(playedText), cancellationToken).ConfigureAwait(false);
        }
    }
}
