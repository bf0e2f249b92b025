namespace Podwake.Specs;

/// <summary>How to build the service's image; paths are absolute after loading.</summary>
internal sealed record BuildSpec
{
    public required string Context { get; init; }

    /// <summary>Absolute path of the Containerfile/Dockerfile, or null to let podman find it in the context.</summary>
    public string? Containerfile { get; init; }

    public IReadOnlyDictionary<string, string> Args { get; init; } = new Dictionary<string, string>();
}
