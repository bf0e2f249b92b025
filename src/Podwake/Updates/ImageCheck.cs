using Podwake.Podman;
using Podwake.Specs;

namespace Podwake.Updates;

/// <summary>
/// Whether a service's container runs the newest image its policy allows, as podman auto-update decides it:
/// <c>registry</c> asks the registry for the tag's digest and compares it with the digests the local image is known
/// by (a multi-arch index's digest included); <c>local</c> compares the image the tag names locally now with the
/// container's. Either way a container on another image than the (pulled) tag's is out of date.
/// </summary>
internal static class ImageCheck
{
    /// <param name="containerImageId">The image ID the service's container was created from; null when it has none now.</param>
    /// <param name="inspectImage">Reads a local image (the runtime's podman: serve's API, or the service user's).</param>
    public static async Task<ImageCheckResult> CheckAsync(
        string image,
        UpdatePolicy policy,
        string? containerImageId,
        Func<string, CancellationToken, Task<ImageInspect?>> inspectImage,
        IRegistryDigests registry,
        CancellationToken cancellationToken)
    {
        var local = await inspectImage(image, cancellationToken).ConfigureAwait(false);
        var current = containerImageId is null ? null
            : local is not null && local.Id == containerImageId ? local
            : await inspectImage(containerImageId, cancellationToken).ConfigureAwait(false);
        var currentDigest = DigestOf(current, image);
        if (policy == UpdatePolicy.Registry)
        {
            var remote = await registry.GetDigestAsync(image, cancellationToken).ConfigureAwait(false);
            var pulled = local is not null && (local.Digest == remote || local.RepoDigests.Any(d => d.EndsWith("@" + remote, StringComparison.Ordinal)));
            return new ImageCheckResult(
                NeedsPull: !pulled,
                Changed: !pulled || local!.Id != containerImageId,
                CurrentDigest: currentDigest,
                AvailableDigest: remote);
        }

        if (local is null)
        {
            throw new InvalidOperationException($"image {image} is not in podman's local storage (update: local never pulls): build or pull it, then run podwake update again");
        }

        return new ImageCheckResult(
            NeedsPull: false,
            Changed: local.Id != containerImageId,
            CurrentDigest: currentDigest,
            AvailableDigest: DigestOf(local, image) ?? "sha256:" + local.Id);
    }

    /// <summary><c>REGISTRY/REPO:TAG</c> and a digest → <c>REGISTRY/REPO@DIGEST</c>: that manifest, whatever the tag names meanwhile.</summary>
    public static string Pinned(string reference, string digest)
    {
        var at = reference.IndexOf('@', StringComparison.Ordinal);
        var name = at >= 0 ? reference[..at] : reference;
        var colon = name.LastIndexOf(':');
        return (colon > name.LastIndexOf('/') ? name[..colon] : name) + "@" + digest;
    }

    /// <summary>
    /// The manifest digest the registry knows <paramref name="image"/> by in <paramref name="reference"/>'s repository
    /// (a <c>RepoDigests</c> entry: an image pulled again keeps the <c>Digest</c> it had when it was first stored, a
    /// build's); else its <c>Digest</c>; null for an image that has none (built here, never pushed or pulled).
    /// </summary>
    public static string? DigestOf(ImageInspect? image, string reference)
    {
        if (image is null)
        {
            return null;
        }

        var at = reference.IndexOf('@', StringComparison.Ordinal);
        var name = at >= 0 ? reference[..at] : reference;
        var colon = name.LastIndexOf(':');
        var repository = colon > name.LastIndexOf('/') ? name[..colon] : name;
        var known = image.RepoDigests
            .Where(d => d.StartsWith(repository + "@", StringComparison.Ordinal))
            .Select(d => d[(repository.Length + 1)..])
            .ToList();

        // An image built here and pushed has two: its own manifest's (Digest, first) and the one the push wrote to the
        // registry (added by a pull); a multi-arch pull has the index's and the platform manifest's (Digest). The
        // registry's is the one that is not Digest.
        // Only names that tag the image now are listed: once the tag moved to a newer image, the old one's registry
        // digest is still there under its other names (the same manifest digests for each name).
        var digest = image.Digest is { Length: > 0 } stored ? stored : null;
        var any = image.RepoDigests.Select(d => d[(d.IndexOf('@', StringComparison.Ordinal) + 1)..]).ToList();
        return known.LastOrDefault(d => d != digest) ?? any.LastOrDefault(d => d != digest) ?? known.FirstOrDefault() ?? digest;
    }
}
