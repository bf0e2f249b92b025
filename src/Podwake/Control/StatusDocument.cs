using Podwake.Activation;

namespace Podwake.Control;

/// <summary>What a running <c>podwake serve</c> or <c>podwake activate</c> answers on its control socket; also what <c>podwake status</c> shows of a dormant deployed service.</summary>
internal sealed record StatusDocument
{
    public const string RuntimeServe = "serve";
    public const string RuntimeSystemd = "systemd";

    /// <summary>The serving process; null for deployed services that are dormant (no process runs).</summary>
    public required int? Pid { get; init; }

    /// <summary><c>serve</c>, or <c>systemd</c> for a deployed service (its activator, or its socket unit alone).</summary>
    public string Runtime { get; init; } = RuntimeServe;

    public required DateTimeOffset? StartedAt { get; init; }

    public required IReadOnlyList<ServiceStatus> Services { get; init; }
}
