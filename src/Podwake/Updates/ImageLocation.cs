using Podwake.Podman;
using Podwake.Specs;

namespace Podwake.Updates;

/// <summary>
/// Where a registry keeps an image reference's manifest: <c>[DOMAIN/]PATH[:TAG][@DIGEST]</c> split as podman
/// (github.com/distribution/reference's <c>ParseNormalizedNamed</c>) does: no domain means docker.io, a one-component
/// name on docker.io lives under <c>library/</c>, no tag means <c>latest</c>.
/// </summary>
internal sealed record ImageLocation(string Registry, string Repository, string Tag, string? Digest)
{
    /// <summary>Docker Hub's API host: <c>docker.io</c> names the registry in references, but does not serve <c>/v2/</c>.</summary>
    public const string DockerHubEndpoint = "registry-1.docker.io";

    public const string DefaultTag = "latest";

    /// <summary>host[:port] the requests go to.</summary>
    public string Endpoint => Registry == ImagePullErrors.DefaultRegistry ? DockerHubEndpoint : Registry;

    /// <summary><c>REGISTRY/REPOSITORY</c>: the key auth files and registries.conf match on.</summary>
    public string Name => $"{Registry}/{Repository}";

    /// <summary>As the error messages name it: <c>127.0.0.1:5601/app:v9</c>.</summary>
    public override string ToString() => Digest is null ? $"{Name}:{Tag}" : $"{Name}@{Digest}";

    /// <exception cref="ArgumentException">The reference is not well formed (<see cref="ImageReference.Problem"/>).</exception>
    public static ImageLocation Parse(string reference)
    {
        if (ImageReference.Problem(reference) is { } problem)
        {
            throw new ArgumentException($"image reference \"{reference}\" is not valid: {problem}", nameof(reference));
        }

        var name = reference;
        string? digest = null;
        var at = name.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = name[(at + 1)..];
            name = name[..at];
        }

        var tag = DefaultTag;
        var colon = name.LastIndexOf(':');
        if (colon > name.LastIndexOf('/'))
        {
            tag = name[(colon + 1)..];
            name = name[..colon];
        }

        var registry = ImagePullErrors.Registry(name);
        var repository = name.StartsWith(registry + "/", StringComparison.Ordinal) ? name[(registry.Length + 1)..] : name;
        registry = NormalizeRegistry(registry);
        if (registry == ImagePullErrors.DefaultRegistry && !repository.Contains('/', StringComparison.Ordinal))
        {
            repository = "library/" + repository;
        }

        return new ImageLocation(registry, repository, tag, digest);
    }

    /// <summary>Docker Hub's other host names are docker.io, as containers/image's <c>normalizeRegistry</c> has it.</summary>
    public static string NormalizeRegistry(string registry) =>
        registry is "index.docker.io" or DockerHubEndpoint ? ImagePullErrors.DefaultRegistry : registry;
}
