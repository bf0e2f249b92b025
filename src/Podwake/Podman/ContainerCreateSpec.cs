using System.Text.Json.Serialization;

namespace Podwake.Podman;

/// <summary>
/// The subset of libpod's SpecGenerator (podman 4.3, <c>pkg/specgen/specgen.go</c>) that podwake sets; serialized
/// as-is as the body of <c>POST /libpod/containers/create</c>. Field names checked against the JSON tags in the
/// installed podman 4.3.1 binary.
/// </summary>
internal sealed record ContainerCreateSpec
{
    [JsonPropertyName("name")]
    public required string Name { get; init; }

    [JsonPropertyName("image")]
    public required string Image { get; init; }

    /// <summary>null = the image's CMD.</summary>
    [JsonPropertyName("command")]
    public IReadOnlyList<string>? Command { get; init; }

    [JsonPropertyName("env")]
    public IReadOnlyDictionary<string, string>? Env { get; init; }

    [JsonPropertyName("labels")]
    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary>Bind mounts (OCI runtime-spec mounts).</summary>
    [JsonPropertyName("mounts")]
    public IReadOnlyList<ContainerMount>? Mounts { get; init; }

    /// <summary>Named volumes; podman creates a missing one.</summary>
    [JsonPropertyName("volumes")]
    public IReadOnlyList<ContainerNamedVolume>? Volumes { get; init; }

    [JsonPropertyName("portmappings")]
    public IReadOnlyList<ContainerPortMapping>? PortMappings { get; init; }

    /// <summary>
    /// Run catatonit as PID 1. On by default: busybox (and many programs) as PID 1 ignore SIGTERM, so a stop
    /// would otherwise always wait the full stop timeout (README, "Host notes").
    /// </summary>
    [JsonPropertyName("init")]
    public bool Init { get; init; } = true;

    /// <summary>Seconds between SIGTERM and SIGKILL on stop; null = podman's default (10).</summary>
    [JsonPropertyName("stop_timeout")]
    public uint? StopTimeout { get; init; }

    /// <summary>null = podman's default (bridge rootful, slirp4netns rootless).</summary>
    [JsonPropertyName("netns")]
    public ContainerNamespace? NetNs { get; init; }

    /// <summary>The user inside the container (<c>--user</c>); null = the image's.</summary>
    [JsonPropertyName("user")]
    public string? User { get; init; }

    /// <summary>cgroup limits (an OCI LinuxResources); null = none.</summary>
    [JsonPropertyName("resource_limits")]
    public ContainerResourceLimits? ResourceLimits { get; init; }

    /// <summary>Secrets mounted as files (libpod's Secret has no JSON tags: its Go field names).</summary>
    [JsonPropertyName("secrets")]
    public IReadOnlyList<ContainerSecretMount>? Secrets { get; init; }

    /// <summary>Variable name → podman secret name.</summary>
    [JsonPropertyName("secret_env")]
    public IReadOnlyDictionary<string, string>? SecretEnv { get; init; }

    /// <summary>podman's own restart policy (<c>no</c>, <c>on-failure</c>, <c>always</c>); null = none. Side-car containers only:
    /// nothing of podwake watches them between sync passes (the systemd runtime), so conmon's cleanup restarts them.</summary>
    [JsonPropertyName("restart_policy")]
    public string? RestartPolicy { get; init; }
}
