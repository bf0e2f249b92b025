using Podwake.Specs;
using Podwake.Units;

namespace Podwake.Deploy;

/// <summary>
/// Every unit file deploy installs for one service: its own units (into its target's manager) and its <c>expose:</c>
/// pairs (into the expose manager). The planner plans them and <c>podwake generate</c> prints them, both from here, so
/// what generate shows cannot drift from what deploy writes.
/// </summary>
/// <param name="Own">Socket, activator and container units, and the network unit where the options ask for one.</param>
/// <param name="Expose">The expose socket and forwarder units; empty without <c>expose:</c>.</param>
internal sealed record ServiceUnits(IReadOnlyList<GeneratedUnit> Own, IReadOnlyList<GeneratedUnit> Expose)
{
    public static ServiceUnits Of(ServiceSpec spec, UnitGeneratorOptions options) =>
        new(UnitGenerator.Generate(spec, options), UnitGenerator.GenerateExpose(spec));

    /// <summary>Own units first, then the expose units.</summary>
    public IEnumerable<GeneratedUnit> All => Own.Concat(Expose);
}
