using Podwake.Network;
using Podwake.Podman;
using Podwake.Specs;
using Podwake.Systemd;
using Podwake.Units;
using Podwake.Updates;

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
        // Plain fields, not JSON: podman 4.3's {{json .}} prints the whole list and {{json .Id}} fails inside a literal.
        var result = await podman.RunAsync(["image", "inspect", "--format", "{{.Id}}|{{.Digest}}|{{range .RepoDigests}}{{.}} {{end}}", image], cancellationToken)
            .ConfigureAwait(false);
        var fields = result.Stdout.Trim().Split('|');
        if (!result.Succeeded || fields.Length != 3 || fields[0].Length == 0)
        {
            return null;
        }

        return new ImageInspect
        {
            Id = fields[0],
            Digest = fields[1] is { Length: > 0 } digest ? digest : null,
            RepoDigests = fields[2].Split(' ', StringSplitOptions.RemoveEmptyEntries),
        };
    }

    /// <summary>
    /// The manifest digest of the image the service's container runs, as <c>podwake status</c> shows it
    /// (<see cref="ImageCheck.DigestOf"/>); null with no container, or for an image never pushed or pulled.
    /// </summary>
    public static async Task<string?> RunningDigestAsync(TargetPodman podman, ServiceSpec spec, CancellationToken cancellationToken)
    {
        if (await ImageIdAsync(podman, spec.ContainerName, cancellationToken).ConfigureAwait(false) is not { } id)
        {
            return null;
        }

        return ImageCheck.DigestOf(await InspectImageAsync(podman, id, cancellationToken).ConfigureAwait(false), spec.Image!);
    }

    /// <summary>Points <paramref name="tag"/> at <paramref name="imageId"/> (a no-op when it names it already).</summary>
    public static async Task TagAsync(TargetPodman podman, string imageId, string tag, CancellationToken cancellationToken)
    {
        if (await podman.ImageIdAsync(tag, cancellationToken).ConfigureAwait(false) != imageId)
        {
            (await podman.RunAsync(["tag", imageId, tag], cancellationToken).ConfigureAwait(false)).ThrowIfFailed($"tag {tag}");
        }
    }
}
