using System.Net;

namespace Podwake.Specs;

/// <summary>One listening address on the host and the container port it leads to.</summary>
internal sealed record PortSpec
{
    public required IPEndPoint Listen { get; init; }

    public required int ContainerPort { get; init; }

    public Protocol Protocol { get; init; } = Protocol.Tcp;

    public required SourceLocation Location { get; init; }

    /// <summary><c>127.0.0.1:8080/tcp</c>, <c>[::]:53/udp</c>: the listen side as status, logs and errors show it.</summary>
    public string ListenDisplay => $"{ListenAddress.Format(Listen)}/{Protocol.ToText()}";
}
