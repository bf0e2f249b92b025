namespace Podwake.Podman;

/// <summary>One entry of <c>GET /libpod/containers/json</c>.</summary>
internal sealed record ContainerSummary
{
    public required string Id { get; init; }

    public IReadOnlyList<string> Names { get; init; } = [];

    public string? Image { get; init; }

    public IReadOnlyDictionary<string, string>? Labels { get; init; }

    /// <summary><c>created</c>, <c>running</c>, <c>exited</c>...</summary>
    public string State { get; init; } = "";

    public int Pid { get; init; }

    public int ExitCode { get; init; }

    /// <summary>A pod's infra container (holds its namespaces).</summary>
    public bool IsInfra { get; init; }

    public string Name => Names.Count > 0 ? Names[0] : Id;
}
