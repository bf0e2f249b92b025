using System.Globalization;
using Podwake.Serve;
using Podwake.Specs;

namespace Podwake.Units;

/// <content>The podman container unit, shaped after <c>podman generate systemd --new</c> of podman 4.3.</content>
internal static partial class UnitGenerator
{
    /// <summary>Value of the io.podwake.manager label on containers the systemd runtime runs.</summary>
    public const string ManagerLabelValue = "systemd";

    /// <summary>podman auto-update picks containers by this label (podman-auto-update(1)).</summary>
    public const string AutoUpdateLabel = "io.containers.autoupdate";

    /// <summary>How the activator reaches the container: a loopback port podman picks per container port.</summary>
    /// <remarks>
    /// OPEN DECISION for <c>podwake activate</c>: <c>-p 127.0.0.1::PORT</c> keeps this unit identical on every
    /// deploy and works rootful and rootless; the activator reads the chosen port with podman port/inspect after
    /// each start. Rootful, it may instead enter the container's network namespace as <c>podwake serve</c> does and
    /// ignore the published port; rootless, it must check readiness on the container's own socket table, because
    /// podman's port forwarder accepts before the container listens.
    /// </remarks>
    public const string PublishHost = "127.0.0.1";

    private static UnitFile Container(ServiceSpec spec, UnitGeneratorOptions options)
    {
        var unit = NewUnit($"podwake container of {spec.Name}");
        unit.Add(UnitSections.Unit, UnitKeys.Documentation, "man:podman-run(1)");
        if (options.System)
        {
            // A user manager has no network-online.target.
            unit.Add(UnitSections.Unit, UnitKeys.Wants, "network-online.target");
            unit.Add(UnitSections.Unit, UnitKeys.After, "network-online.target");
        }

        unit.Add(UnitSections.Unit, UnitKeys.RequiresMountsFor, "%t/containers");

        // Started by the activator, stopped when the activator (its only user) no longer needs it.
        unit.Add(UnitSections.Unit, UnitKeys.StopWhenUnneeded, "yes");

        // podman auto-update finds the unit to restart through this variable.
        unit.Add(UnitSections.Service, UnitKeys.Environment, $"PODMAN_SYSTEMD_UNIT=%n");
        unit.Add(UnitSections.Service, UnitKeys.Restart, Restart(spec.Restart));
        unit.Add(UnitSections.Service, UnitKeys.TimeoutStopSec, TimeoutStopSec.ToString(CultureInfo.InvariantCulture));

        // The container is published on 127.0.0.1 ports podman chooses; see PublishHost.
        unit.AddComment(UnitSections.Service, "podwake activate finds the published loopback ports with podman port.");
        unit.Add(UnitSections.Service, UnitKeys.ExecStart, SystemdQuoting.ExecLine(RunCommand(spec, options)));
        var timeout = StopTimeoutSeconds.ToString(CultureInfo.InvariantCulture);
        unit.Add(UnitSections.Service, UnitKeys.ExecStop, SystemdQuoting.ExecLine([options.PodmanPath, "stop", "--ignore", "-t", timeout, spec.ContainerName]));
        unit.Add(UnitSections.Service, UnitKeys.ExecStopPost, SystemdQuoting.ExecLine([options.PodmanPath, "rm", "-f", "--ignore", "-t", timeout, spec.ContainerName]));

        // conmon sends READY=1 once the container runs (--sdnotify=conmon) and conmon is the main process.
        unit.Add(UnitSections.Service, UnitKeys.Type, "notify");
        unit.Add(UnitSections.Service, UnitKeys.NotifyAccess, "all");
        return unit;
    }

    /// <summary>The podman run command line, one word per element, unquoted.</summary>
    internal static List<string> RunCommand(ServiceSpec spec, UnitGeneratorOptions options)
    {
        List<string> run =
        [
            options.PodmanPath, "run",

            // As podman generate systemd --new: conmon stays in this unit's cgroup, so systemd tracks and
            // stops it; also the only mode that works with cgroup_manager=cgroupfs under a user manager.
            "--cgroups=no-conmon",
            "--rm", "--sdnotify=conmon", "-d", "--replace",
            "--name", spec.ContainerName,

            // busybox-like PID 1s ignore SIGTERM; with an init the stop takes milliseconds, not the timeout.
            "--init",
            "--stop-timeout", StopTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            "--label", $"{Labels.Service}={spec.Name}",
            "--label", $"{Labels.Manager}={ManagerLabelValue}",
        ];
        if (spec.Update != UpdatePolicy.None)
        {
            run.AddRange(["--label", $"{AutoUpdateLabel}={(spec.Update == UpdatePolicy.Registry ? "registry" : "local")}"]);
        }

        foreach (var (name, value) in spec.Env.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            run.AddRange(["-e", $"{name}={value}"]);
        }

        foreach (var volume in spec.Volumes)
        {
            var mountOptions = volume.Options.Count == 0 ? "" : $":{string.Join(',', volume.Options)}";
            run.AddRange(["-v", $"{volume.Source}:{volume.Target}{mountOptions}"]);
        }

        foreach (var port in spec.Ports.Select(p => (p.ContainerPort, p.Protocol)).Distinct())
        {
            var protocol = port.Protocol == Protocol.Udp ? "udp" : "tcp";
            run.AddRange(["-p", $"{PublishHost}::{port.ContainerPort.ToString(CultureInfo.InvariantCulture)}/{protocol}"]);
        }

        run.Add(spec.Image!);
        if (spec.Command is { } command)
        {
            run.AddRange(command);
        }

        return run;
    }

    private static string Restart(RestartPolicy policy) => policy switch
    {
        RestartPolicy.No => "no",
        RestartPolicy.OnFailure => "on-failure",
        RestartPolicy.Always => "always",
        _ => throw new ArgumentOutOfRangeException(nameof(policy), policy, "unknown restart policy"),
    };
}
