using Podwake.Specs;

namespace Podwake.Units;

/// <content>
/// The two units of a <c>sidecar:</c> service, in place of the socket, activator and container units: a <c>.path</c>
/// unit watching the state folder the wrapper writes its calls into, and the <c>Type=oneshot</c> sync pass it starts
/// (<c>podwake sidecar sync</c>), as TripleO's systemd-wrapper role pairs them.
/// </content>
/// <remarks>
/// <para>The state folder is given by the caller (<c>Sidecars.SidecarPaths</c>, one layer up, knows where an account
/// keeps it): its <c>timestamp</c> file, touched by every call, and its <c>calls</c> folder.</para>
/// <para>Both conditions are needed: <c>PathModified=</c> is an event, and one that comes while the pass runs starts no
/// second pass (the start job merges with the running one); <c>DirectoryNotEmpty=</c> is a state, checked again when the
/// pass ends, so a call recorded during a pass is taken by the next one.</para>
/// </remarks>
internal static partial class UnitGenerator
{
    public static string SidecarPathUnitName(string service) => $"podwake-{service}-sidecar.path";

    public static string SidecarServiceUnitName(string service) => $"podwake-{service}-sidecar.service";

    /// <summary>The path and sync units of a <c>sidecar:</c> service, in that order.</summary>
    /// <param name="timestampFile">Absolute path of the state folder's timestamp file.</param>
    /// <param name="callsFolder">Absolute path of the state folder's calls folder.</param>
    public static IReadOnlyList<GeneratedUnit> GenerateSidecar(ServiceSpec spec, UnitGeneratorOptions options, string timestampFile, string callsFolder)
    {
        if (spec.Sidecar is null)
        {
            throw new ArgumentException($"service {spec.Name} has no sidecar: section", nameof(spec));
        }

        return
        [
            new GeneratedUnit(SidecarPathUnitName(spec.Name), SidecarPath(spec, timestampFile, callsFolder)),
            new GeneratedUnit(SidecarServiceUnitName(spec.Name), SidecarSync(spec, options)),
        ];
    }

    private static UnitFile SidecarPath(ServiceSpec spec, string timestampFile, string callsFolder)
    {
        var unit = NewUnit($"podwake side-car calls of {spec.Name}");

        // Started with the path unit (deploy, boot): the keys already in the list run again without waiting for a call.
        unit.Add(UnitSections.Unit, UnitKeys.Wants, SidecarServiceUnitName(spec.Name));
        unit.Add(UnitSections.Path, UnitKeys.PathModified, SystemdQuoting.Path(timestampFile));
        unit.Add(UnitSections.Path, UnitKeys.DirectoryNotEmpty, SystemdQuoting.Path(callsFolder));
        unit.Add(UnitSections.Path, UnitKeys.Unit, SidecarServiceUnitName(spec.Name));
        unit.Add(UnitSections.Install, UnitKeys.WantedBy, "paths.target");
        return unit;
    }

    private static UnitFile SidecarSync(ServiceSpec spec, UnitGeneratorOptions options)
    {
        var unit = NewUnit($"podwake side-car sync of {spec.Name}");

        // A pass per batch of calls: 20 calls one after another are 20 starts, which the default start limit (5 in 10 s)
        // would refuse, failing the path unit for good.
        unit.Add(UnitSections.Unit, UnitKeys.StartLimitIntervalSec, "0");

        // Each pass starts podman's API service of its own (as serve does) and stops it: ~0.1 s with the published
        // binary. Not podman.socket: started in the account's manager, it makes every podman API client of the account
        // (podwake serve included) use podman 4.3's socket-activated service, which exits after 5 s idle; a request to
        // it went unanswered for 30 s in the rootless test run.
        unit.Add(UnitSections.Service, UnitKeys.Type, "oneshot");

        // The spec path is written with its %E specifier on purpose, hence not through ExecLine; the name is [a-z0-9-].
        var command = SystemdQuoting.ExecLine([options.PodwakePath, "sidecar", "sync", spec.Name]);
        unit.Add(UnitSections.Service, UnitKeys.ExecStart, $"{command} --spec {SpecCopy.UnitPath(spec.Name)}");

        // A foreground call keeps the pass waiting for its container's exit, however long that takes.
        unit.Add(UnitSections.Service, UnitKeys.TimeoutStartSec, "infinity");

        // The containers a pass starts outlive it: their conmon stays in this unit's cgroup (podman's cgroupfs manager
        // moves it nowhere), and the default KillMode=control-group would kill it when the pass ends (seen here: systemd
        // sent it SIGTERM, waited 90 s and failed the unit with "timeout").
        unit.Add(UnitSections.Service, UnitKeys.KillMode, "process");
        return unit;
    }
}
