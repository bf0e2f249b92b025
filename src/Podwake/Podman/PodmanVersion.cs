namespace Podwake.Podman;

/// <summary>The top level of <c>GET /libpod/version</c>: <c>Version</c> is podman's (e.g. 4.3.1).</summary>
internal sealed record PodmanVersion
{
    public required string Version { get; init; }

    /// <summary>The Docker-compatible API version (1.41 on podman 4.3).</summary>
    public string? ApiVersion { get; init; }

    public string? Os { get; init; }

    public string? Arch { get; init; }
}
