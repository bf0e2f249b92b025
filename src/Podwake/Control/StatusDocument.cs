using Podwake.Activation;

namespace Podwake.Control;

/// <summary>What a running <c>podwake serve</c> answers on its control socket.</summary>
internal sealed record StatusDocument
{
    public required int Pid { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required IReadOnlyList<ServiceStatus> Services { get; init; }
}
