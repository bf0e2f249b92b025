using Podwake.Podman;
using Podwake.Sidecars;
using Podwake.Specs;

namespace Podwake.Deploy;

/// <summary>What undeploy finds and removes of a deployed <c>sidecar:</c> service besides its units: its key containers, the wrapper and the state folder.</summary>
internal static class DeployedSidecar
{
    /// <summary>The side-car service the spec copy holds, or null (no copy, another kind of service, or a copy that does not load).</summary>
    public static ServiceSpec? SpecOf(string specCopy)
    {
        if (!File.Exists(specCopy))
        {
            return null;
        }

        var loaded = SpecLoader.Load([specCopy]);
        return loaded.Succeeded && loaded.Services is [{ Sidecar: not null } spec] ? spec : null;
    }

    /// <summary>Every container of the service's keys (<c>io.podwake.service=NAME</c> with an <c>io.podwake.sidecar.key</c> label), by name.</summary>
    /// <remarks>podman ANDs label filters (podman-ps(1): "label ... is exclusive"); a label filter without a value matches any value.</remarks>
    public static async Task<IReadOnlyList<string>> ContainersAsync(TargetPodman podman, string service, CancellationToken cancellationToken)
    {
        var result = await podman.RunAsync(
            ["ps", "--all", "--filter", $"label={ContainerLabels.Service}={service}", "--filter", $"label={ContainerLabels.SidecarKey}", "--format", "{{.Names}}"],
            cancellationToken).ConfigureAwait(false);
        result.ThrowIfFailed($"list the side-car containers of {service}");
        return result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
    }

    /// <summary>Removes every container of the service's keys; how many there were.</summary>
    public static async Task<int> RemoveContainersAsync(TargetPodman podman, string service, CancellationToken cancellationToken)
    {
        var containers = await ContainersAsync(podman, service, cancellationToken).ConfigureAwait(false);
        foreach (var container in containers)
        {
            await podman.RemoveContainerAsync(container, cancellationToken).ConfigureAwait(false);
        }

        return containers.Count;
    }

    /// <summary>The state folder, and the wrapper when it is known and podwake's (<see cref="SidecarInstall.Uninstall"/>).</summary>
    public static void Uninstall(string? wrapper, SidecarPaths paths)
    {
        // Without a known wrapper, the state folder's own timestamp file stands in for it: it is never a podwake wrapper,
        // so Uninstall leaves it to the removal of the folder.
        SidecarInstall.Uninstall(wrapper ?? paths.Timestamp, paths);
    }
}
