using System.Net;

namespace Podwake.Specs;

/// <summary>One listening address on the host and the container port it leads to.</summary>
/// <remarks>Exactly one of <see cref="Listen"/> (an IP address and port) and <see cref="Unix"/> (a unix stream socket) is set.</remarks>
internal sealed record PortSpec
{
    /// <summary>The IP address and port; null for a unix socket listener (<see cref="Unix"/>).</summary>
    public IPEndPoint? Listen { get; init; }

    /// <summary>The unix stream socket (<c>listen: /run/web.sock</c> or <c>@web</c>); null for an IP listener.</summary>
    public UnixListen? Unix { get; init; }

    public required int ContainerPort { get; init; }

    public Protocol Protocol { get; init; } = Protocol.Tcp;

    public required SourceLocation Location { get; init; }

    /// <summary>The IP listen address of a port that has one; only for code that already checked <see cref="Unix"/> is null.</summary>
    public IPEndPoint Ip => Listen ?? throw new InvalidOperationException($"{Unix?.Path} is a unix socket listener, not an IP address");

    /// <summary>As <c>listen:</c> writes it: <c>127.0.0.1:8080</c>, <c>[::1]:8080</c>, <c>/run/web.sock</c>, <c>@web</c>.</summary>
    public string ListenText => Unix?.Path ?? ListenAddress.Format(Ip);

    /// <summary><c>127.0.0.1:8080/tcp</c>, <c>[::]:53/udp</c>, <c>/run/web.sock</c>: the listen side as status, logs and errors show it.</summary>
    public string ListenDisplay => Unix is { } unix ? unix.Path : $"{ListenAddress.Format(Ip)}/{Protocol.ToText()}";
}
