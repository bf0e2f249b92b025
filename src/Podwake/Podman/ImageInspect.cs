namespace Podwake.Podman;

/// <summary>The parts of <c>GET /libpod/images/{name}/json</c> an update reads.</summary>
internal sealed record ImageInspect
{
    /// <summary>The image's ID (the config's digest, without <c>sha256:</c>).</summary>
    public required string Id { get; init; }

    /// <summary>The manifest digest it was pulled or pushed by (<c>sha256:…</c>); empty for an image built here and never pushed.</summary>
    public string? Digest { get; init; }

    /// <summary>
    /// <c>REPOSITORY@DIGEST</c> for every manifest this image is known by: for an image pulled through a multi-arch index,
    /// both the index's digest and the platform manifest's. A registry's digest for the tag is in here when the local
    /// image is the registry's current one.
    /// </summary>
    public IReadOnlyList<string> RepoDigests { get; init; } = [];
}
