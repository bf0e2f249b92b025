using System.Net;

namespace Podwake.Specs;

/// <summary>A <c>listen:</c> value as read: an IP address and port, or a unix socket path (<c>/run/web.sock</c>, <c>@web</c>).</summary>
internal sealed record ListenValue(IPEndPoint? Address, string? UnixPath);
