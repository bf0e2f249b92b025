using System.Text.Json.Serialization;
using Podwake.Specs;

namespace Podwake.Podman;

/// <summary>The part of the OCI runtime spec's LinuxResources podwake sets (<c>resources:</c>).</summary>
internal sealed record ContainerResourceLimits
{
    [JsonPropertyName("memory")]
    public Limit? Memory { get; init; }

    [JsonPropertyName("cpu")]
    public CpuLimit? Cpu { get; init; }

    [JsonPropertyName("pids")]
    public Limit? Pids { get; init; }

    /// <summary>The limits of <paramref name="resources"/>, or null when it sets none.</summary>
    public static ContainerResourceLimits? Of(ResourceSpec resources) => resources.IsEmpty ? null : new()
    {
        Memory = resources.MemoryBytes is { } memory ? new Limit { Value = memory } : null,
        Cpu = resources.CpuQuotaMicroseconds is { } quota ? new CpuLimit { Quota = quota, Period = ResourceSpec.CpuPeriodMicroseconds } : null,
        Pids = resources.Pids is { } pids ? new Limit { Value = pids } : null,
    };

    internal sealed record Limit
    {
        [JsonPropertyName("limit")]
        public long Value { get; init; }
    }

    internal sealed record CpuLimit
    {
        [JsonPropertyName("quota")]
        public long Quota { get; init; }

        [JsonPropertyName("period")]
        public long Period { get; init; }
    }
}
