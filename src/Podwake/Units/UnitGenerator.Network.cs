using Podwake.Network;
using Podwake.Specs;

namespace Podwake.Units;

/// <content>
/// <c>podwake-NAME-network.service</c>: a oneshot that makes the service's network namespace and attaches it to
/// podman's CNI network (<see cref="ServiceNetwork"/>), then stays "active (exited)" with no process, so the namespace
/// outlives every wake and the container unit's <c>podman start</c> skips network set-up.
/// </content>
internal static partial class UnitGenerator
{
    private static UnitFile Network(ServiceSpec spec, UnitGeneratorOptions options)
    {
        var unit = NewUnit($"podwake network namespace of {spec.Name}");
        unit.Add(UnitSections.Unit, UnitKeys.Documentation, "man:ip-netns(8)");
        if (options.System)
        {
            unit.Add(UnitSections.Unit, UnitKeys.After, "network.target");
        }

        unit.Add(UnitSections.Service, UnitKeys.Type, "oneshot");
        unit.Add(UnitSections.Service, UnitKeys.RemainAfterExit, "yes");
        unit.AddComment(UnitSections.Service, $"{ServiceNetwork.NamespacePath(spec.Name)} on podman's network {ServiceNetwork.DefaultNetwork}; `ip netns list` shows it.");
        unit.Add(UnitSections.Service, UnitKeys.ExecStart, SystemdQuoting.ExecLine([options.PodwakePath, "network", "up", spec.Name, "--network", ServiceNetwork.DefaultNetwork]));
        unit.Add(UnitSections.Service, UnitKeys.ExecStop, SystemdQuoting.ExecLine([options.PodwakePath, "network", "down", spec.Name]));
        return unit;
    }
}
