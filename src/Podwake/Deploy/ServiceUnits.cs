using Podwake.Sidecars;
using Podwake.Specs;
using Podwake.Units;

namespace Podwake.Deploy;

/// <summary>
/// Every unit file deploy installs for one service: its own units (into its target's manager) and its <c>expose:</c>
/// pairs (into the expose manager). The planner plans them and <c>podwake generate</c> prints them, both from here, so
/// what generate shows cannot drift from what deploy writes.
/// </summary>
/// <param name="Own">
/// Socket, activator and container units, and the network unit where the options ask for one; for a <c>sidecar:</c>
/// service its path and sync units instead.
/// </param>
/// <param name="Expose">The expose socket and forwarder units; empty without <c>expose:</c>.</param>
internal sealed record ServiceUnits(IReadOnlyList<GeneratedUnit> Own, IReadOnlyList<GeneratedUnit> Expose)
{
    /// <param name="home">The home of the account the service is deployed for (a side-car's state folder is below it, unless that account is root).</param>
    public static ServiceUnits Of(ServiceSpec spec, UnitGeneratorOptions options, string home)
    {
        if (spec.Sidecar is null)
        {
            return new(UnitGenerator.Generate(spec, options), UnitGenerator.GenerateExpose(spec));
        }

        var state = StatePaths(spec.Name, options, home);
        return new(UnitGenerator.GenerateSidecar(spec, options, state.Timestamp, state.Calls), []);
    }

    /// <summary>A side-car service's state folder for the account its units run as: root's when podman runs rootful there.</summary>
    public static SidecarPaths StatePaths(string service, UnitGeneratorOptions options, string home) =>
        SidecarPaths.For(service, root: !options.Rootless, home);

    /// <summary>Own units first, then the expose units.</summary>
    public IEnumerable<GeneratedUnit> All => Own.Concat(Expose);
}
