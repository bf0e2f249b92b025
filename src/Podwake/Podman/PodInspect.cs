namespace Podwake.Podman;

/// <summary>What podwake reads of <c>GET /libpod/pods/{name}/json</c>: the pod's state, its infra container and members.</summary>
internal sealed record PodInspect
{
    public required string Id { get; init; }

    public required string Name { get; init; }

    /// <summary><c>Created</c>, <c>Running</c>, <c>Degraded</c> (some containers run), <c>Exited</c>, <c>Stopped</c>...</summary>
    public string State { get; init; } = "";

    /// <summary>The infra container, which holds the pod's network namespace.</summary>
    public string? InfraContainerId { get; init; }

    public IReadOnlyList<PodMember> Containers { get; init; } = [];
}
