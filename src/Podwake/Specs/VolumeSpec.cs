namespace Podwake.Specs;

/// <summary>A bind mount (<c>HOST:CONTAINER[:OPTIONS]</c>) or a named volume; host paths are absolute after loading.</summary>
internal sealed record VolumeSpec
{
    /// <summary>Absolute host path for a bind mount, or the volume name for a named volume.</summary>
    public required string Source { get; init; }

    public required string Target { get; init; }

    /// <summary>Mount options such as <c>ro</c>, <c>z</c>.</summary>
    public IReadOnlyList<string> Options { get; init; } = [];

    public bool IsBindMount => Source.StartsWith('/');
}
