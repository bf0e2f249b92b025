using System.Net;

namespace Podwake.Specs;

/// <summary>One listening address on the host and the container port it leads to.</summary>
internal sealed record PortSpec
{
    public required IPEndPoint Listen { get; init; }

    public required int ContainerPort { get; init; }

    public Protocol Protocol { get; init; } = Protocol.Tcp;

    public required SourceLocation Location { get; init; }
}
