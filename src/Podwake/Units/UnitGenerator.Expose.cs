using System.Globalization;
using System.Net;
using Podwake.Specs;

namespace Podwake.Units;

/// <content>
/// <c>expose:</c>, the edge recipe's "expose-application" pair: a socket on the outside address (a privileged port, an
/// address other than loopback) and <c>systemd-socket-proxyd</c> forwarding it to the service's own listen address, so
/// the service's socket unit still sees every connection and wakes the container.
/// </content>
/// <remarks>
/// One pair per distinct <c>to</c> port (socket-proxyd forwards to one address): <c>podwake-NAME-expose</c> when the
/// service has one, <c>podwake-NAME-expose-PORT</c> each when it has several. These units belong to the system manager
/// (only root binds port 80); where none runs, deploy installs them into root's user manager instead (README).
/// </remarks>
internal static partial class UnitGenerator
{
    public const string DefaultSocketProxydPath = "/lib/systemd/systemd-socket-proxyd";

    /// <summary>The expose socket and forwarder units of <paramref name="spec"/>; empty without <c>expose:</c>.</summary>
    public static IReadOnlyList<GeneratedUnit> GenerateExpose(ServiceSpec spec, string socketProxydPath = DefaultSocketProxydPath)
    {
        var groups = spec.Expose.GroupBy(e => e.To).ToList();
        var units = new List<GeneratedUnit>();
        foreach (var group in groups)
        {
            var stem = groups.Count == 1 ? $"podwake-{spec.Name}-expose" : $"podwake-{spec.Name}-expose-{group.Key.ToString(CultureInfo.InvariantCulture)}";
            var target = spec.Ports.First(p => p.Listen?.Port == group.Key);

            var socket = NewUnit($"podwake outside address of {spec.Name}");
            foreach (var expose in group)
            {
                socket.Add(UnitSections.Socket, UnitKeys.ListenStream, ListenAddress(expose.Listen));
            }

            if (group.Any(e => e.Listen.Address.Equals(IPAddress.IPv6Any)))
            {
                socket.Add(UnitSections.Socket, UnitKeys.BindIPv6Only, "both");
            }

            socket.Add(UnitSections.Socket, UnitKeys.Backlog, ListenDefaults.Backlog.ToString(CultureInfo.InvariantCulture));
            socket.Add(UnitSections.Socket, UnitKeys.Service, $"{stem}.service");
            socket.Add(UnitSections.Install, UnitKeys.WantedBy, "sockets.target");

            var forwarder = NewUnit($"podwake forwarder from the outside address of {spec.Name}");
            forwarder.Add(UnitSections.Unit, UnitKeys.Requires, $"{stem}.socket");
            forwarder.Add(UnitSections.Unit, UnitKeys.After, $"{stem}.socket");
            List<string> command = [socketProxydPath];
            if (spec.Idle is { } idle)
            {
                // Nothing of the service runs while it is dormant, the forwarder included.
                command.Add($"--exit-idle-time={Math.Max(1, (int)Math.Ceiling(idle.TotalSeconds)).ToString(CultureInfo.InvariantCulture)}s");
            }

            command.Add(ListenAddress(new IPEndPoint(Reachable(target.Ip.Address), target.Ip.Port)));
            forwarder.Add(UnitSections.Service, UnitKeys.ExecStart, SystemdQuoting.ExecLine(command));
            units.Add(new GeneratedUnit($"{stem}.socket", socket));
            units.Add(new GeneratedUnit($"{stem}.service", forwarder));
        }

        return units;
    }

    /// <summary>A wildcard listen address is reached on loopback.</summary>
    private static IPAddress Reachable(IPAddress address) =>
        address.Equals(IPAddress.Any) ? IPAddress.Loopback
        : address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback
        : address;
}
