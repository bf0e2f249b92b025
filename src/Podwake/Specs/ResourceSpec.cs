using System.Globalization;

namespace Podwake.Specs;

/// <summary><c>resources:</c> — the container's cgroup limits, as podman's <c>--memory</c>, <c>--cpus</c> and <c>--pids-limit</c>.</summary>
internal sealed record ResourceSpec
{
    /// <summary>The memory limit in bytes (<c>memory: 256m</c>); null = none.</summary>
    public long? MemoryBytes { get; init; }

    /// <summary>How many CPUs' worth of time (<c>cpus: 0.5</c>); null = none.</summary>
    public decimal? Cpus { get; init; }

    /// <summary>The most processes and threads (<c>pids: 512</c>); null = podman's default.</summary>
    public long? Pids { get; init; }

    public bool IsEmpty => MemoryBytes is null && Cpus is null && Pids is null;

    /// <summary>podman's CFS period for <c>--cpus</c> (100 ms): the quota is <see cref="Cpus"/> times it.</summary>
    public const long CpuPeriodMicroseconds = 100_000;

    public long? CpuQuotaMicroseconds => Cpus is { } cpus ? (long)Math.Round(cpus * CpuPeriodMicroseconds) : null;

    /// <summary>The <c>podman create</c> options for these limits.</summary>
    public IEnumerable<string> CreateOptions()
    {
        if (MemoryBytes is { } memory)
        {
            yield return "--memory";
            yield return memory.ToString(CultureInfo.InvariantCulture);
        }

        if (Cpus is { } cpus)
        {
            yield return "--cpus";
            yield return cpus.ToString(CultureInfo.InvariantCulture);
        }

        if (Pids is { } pids)
        {
            yield return "--pids-limit";
            yield return pids.ToString(CultureInfo.InvariantCulture);
        }
    }
}
