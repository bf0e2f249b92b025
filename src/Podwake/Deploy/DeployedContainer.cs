using System.Text.Json;
using Podwake.Network;
using Podwake.Podman;
using Podwake.Specs;
using Podwake.Systemd;
using Podwake.Units;

namespace Podwake.Deploy;

/// <summary>A deployed service's container as an update reads and re-creates it (as the service's user).</summary>
internal static class DeployedContainer
{
    /// <summary>
    /// Deploy's <c>podman create</c> words for the service (without the hash label), with the options deploy chose: the
    /// kept network namespace where the service has one (as the activator re-creates a removed container).
    /// </summary>
    public static List<string> CreateCommand(ServiceSpec spec, SystemdManager manager, bool rootless) =>
        UnitGenerator.CreateCommand(spec, new UnitGeneratorOptions
        {
            System = manager.IsSystem,
            Rootless = rootless,
            NetworkNamespace = !rootless && File.Exists(ServiceNetwork.NamespacePath(spec.Name)),
        }, manager.RuntimeDirectory);

    /// <summary>The image ID the container was created from; null when there is no such container.</summary>
    public static async Task<string?> ImageIdAsync(TargetPodman podman, string container, CancellationToken cancellationToken)
    {
        var result = await podman.RunAsync(["container", "inspect", "--format", "{{.Image}}", container], cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? result.Stdout.Trim() : null;
    }

    /// <summary>A local image (ID, digest, repo digests), or null when it is not in the store.</summary>
    public static async Task<ImageInspect?> InspectImageAsync(TargetPodman podman, string image, CancellationToken cancellationToken)
    {
        var result = await podman.RunAsync(["image", "inspect", "--format", "{{json .}}", image], cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize(result.Stdout, PodmanJsonContext.Default.ImageInspect);
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"Failed to read podman image inspect of {image}: {ex.Message}", ex);
        }
    }
}
