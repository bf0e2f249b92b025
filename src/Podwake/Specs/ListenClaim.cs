using System.Net;
using System.Net.Sockets;

namespace Podwake.Specs;

/// <summary>A host address a service will bind, with where the file asks for it; used to find collisions.</summary>
/// <param name="Key">The key as shown in messages, e.g. <c>ports[1].listen</c>.</param>
/// <param name="Address">The IP address and port; null for a unix socket (<see cref="UnixPath"/>).</param>
internal sealed record ListenClaim(IPEndPoint? Address, Protocol Protocol, string Key, SourceLocation Location)
{
    /// <summary>The unix socket path or <c>@name</c> claimed instead of an IP address.</summary>
    public string? UnixPath { get; init; }

    public string Display => UnixPath ?? $"{ListenAddress.Format(Address!)}/{Protocol.ToText()}";

    /// <summary>The very same address (not merely overlapping).</summary>
    public bool SameAs(ListenClaim other) =>
        UnixPath is not null ? string.Equals(UnixPath, other.UnixPath, StringComparison.Ordinal) : other.Address is not null && Address!.Equals(other.Address) && Protocol == other.Protocol;

    /// <summary>
    /// True when both cannot be bound at once: same protocol and port, and the same address or a wildcard
    /// covering the other. [::] counts as covering IPv4 too, as Linux binds it dual-stack by default
    /// (net.ipv6.bindv6only=0).
    /// </summary>
    /// <remarks>A unix socket collides only with the same path (or abstract name).</remarks>
    public bool CollidesWith(ListenClaim other) =>
        UnixPath is not null || other.UnixPath is not null
            ? string.Equals(UnixPath, other.UnixPath, StringComparison.Ordinal)
            : Protocol == other.Protocol
            && Address!.Port == other.Address!.Port
            && (Covers(Normal(Address.Address), Normal(other.Address.Address)) || Covers(Normal(other.Address.Address), Normal(Address.Address)));

    private static bool Covers(IPAddress a, IPAddress b) =>
        a.Equals(b)
        || a.Equals(IPAddress.IPv6Any)
        || (a.Equals(IPAddress.Any) && b.AddressFamily == AddressFamily.InterNetwork);

    private static IPAddress Normal(IPAddress address) => address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
}
