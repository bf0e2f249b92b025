using System.Net;

namespace Podwake.Proxy;

/// <summary>What <see cref="HeldDropReport"/> hands the listener to log: datagrams dropped by how many flows, the latest client.</summary>
internal readonly record struct HeldDropSummary(long Datagrams, long Flows, EndPoint Latest);
