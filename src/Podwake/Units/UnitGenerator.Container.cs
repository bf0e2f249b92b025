using System.Globalization;
using Podwake.Network;
using Podwake.Podman;
using Podwake.Specs;

namespace Podwake.Units;

/// <content>
/// The podman container unit, shaped after <c>podman generate systemd</c> (without <c>--new</c>) of podman 4.3: the
/// container is created once by <c>podwake deploy</c> (<see cref="CreateCommand"/>) and a wake only starts it.
/// </content>
/// <remarks>
/// Measured on this project's hosts (podman 4.3.1, rootful, CNI): <c>podman run -d</c> of the example image 0.65–0.75 s,
/// <c>podman start</c> of the same container 0.43 s, and 0.58 s when it also publishes a port (CNI portmap and its
/// iptables rules). So the container is pre-created, and published on loopback only when rootless: a rootful activator
/// opens its sockets inside the container's network namespace, as <c>podwake serve</c> does.
/// </remarks>
internal static partial class UnitGenerator
{
    /// <summary>Value of the io.podwake.manager label on containers the systemd runtime runs.</summary>
    public const string ManagerLabelValue = "systemd";

    /// <summary>podman auto-update picks containers by this label (podman-auto-update(1)).</summary>
    public const string AutoUpdateLabel = "io.containers.autoupdate";

    /// <summary>podman auto-update restarts the unit this label names; podman sets it itself only for containers created inside a unit.</summary>
    public const string SystemdUnitLabel = "PODMAN_SYSTEMD_UNIT";

    /// <summary>Rootless containers publish each port on a loopback port podman picks at create time; podwake activate reads it back.</summary>
    public const string PublishHost = "127.0.0.1";

    /// <summary>
    /// busybox-like programs die of the SIGTERM podman stop sends through the init: 128 + 15 is a clean stop, not a
    /// failure, also after an outside <c>podman stop</c>: Restart=on-failure leaves it stopped, exactly as
    /// <c>podwake serve</c> does (ServiceActivator.IsCleanExit).
    /// </summary>
    public const string SigtermExitStatus = "143";

    private static UnitFile Container(ServiceSpec spec, UnitGeneratorOptions options)
    {
        var unit = NewUnit($"podwake container of {spec.Name}");
        unit.Add(UnitSections.Unit, UnitKeys.Documentation, "man:podman-start(1)");
        if (options.System)
        {
            // A user manager has no network-online.target.
            unit.Add(UnitSections.Unit, UnitKeys.Wants, "network-online.target");
            unit.Add(UnitSections.Unit, UnitKeys.After, "network-online.target");
        }

        unit.Add(UnitSections.Unit, UnitKeys.RequiresMountsFor, "%t/containers");
        if (options.NetworkNamespace)
        {
            unit.Add(UnitSections.Unit, UnitKeys.Requires, NetworkUnitName(spec.Name));
            unit.Add(UnitSections.Unit, UnitKeys.After, NetworkUnitName(spec.Name));
        }

        // Pulled in by the activator's Wants=, stopped as soon as no activator needs it (idle exit or crash).
        unit.Add(UnitSections.Unit, UnitKeys.StopWhenUnneeded, "yes");

        unit.Add(UnitSections.Service, UnitKeys.Restart, Restart(spec.Restart));
        unit.Add(UnitSections.Service, UnitKeys.SuccessExitStatus, SigtermExitStatus);
        unit.Add(UnitSections.Service, UnitKeys.TimeoutStopSec, TimeoutStopSec.ToString(CultureInfo.InvariantCulture));
        unit.AddComment(UnitSections.Service, "The container is created by podwake deploy; a wake starts it, it never creates or pulls.");
        // What deploy runs, to read (secrets by name only: their values are in podman's secret store, never here).
        unit.AddComment(UnitSections.Service, "podwake deploy creates it with: " + ShellWords.Join(CreateCommand(spec, options, "%t")));
        unit.Add(UnitSections.Service, UnitKeys.RuntimeDirectory, ContainerRunFiles.DirectoryName(spec.Name));
        unit.Add(UnitSections.Service, UnitKeys.ExecStart, SystemdQuoting.ExecLine([options.PodmanPath, "start", spec.ContainerName]));
        var timeout = ContainerDefaults.StopTimeoutSeconds.ToString(CultureInfo.InvariantCulture);
        string[] stop = [options.PodmanPath, "stop", "--ignore", "-t", timeout, spec.ContainerName];
        unit.Add(UnitSections.Service, UnitKeys.ExecStop, SystemdQuoting.ExecLine(stop));

        // Also after a failed start or a crash, so a half-started container never outlives its unit.
        unit.Add(UnitSections.Service, UnitKeys.ExecStopPost, SystemdQuoting.ExecLine(stop));

        // conmon forks away from podman start and writes its PID here: systemd tracks it as the main process.
        unit.Add(UnitSections.Service, UnitKeys.PIDFile, ContainerRunFiles.For(spec.Name, "%t").ConmonPidFile);
        unit.Add(UnitSections.Service, UnitKeys.Type, "forking");
        return unit;
    }

    /// <summary>
    /// The <c>podman create</c> command line <c>podwake deploy</c> runs (one word per element, unquoted), with the
    /// runtime directory resolved (<paramref name="runtimeRoot"/>: <c>/run</c> or the user's <c>/run/user/UID</c>).
    /// </summary>
    internal static List<string> CreateCommand(ServiceSpec spec, UnitGeneratorOptions options, string runtimeRoot)
    {
        var files = ContainerRunFiles.For(spec.Name, runtimeRoot);
        List<string> create =
        [
            options.PodmanPath, "create",
            "--name", spec.ContainerName,

            // busybox-like PID 1s ignore SIGTERM; with an init the stop takes milliseconds, not the timeout.
            "--init",
            "--stop-timeout", ContainerDefaults.StopTimeoutSeconds.ToString(CultureInfo.InvariantCulture),
            "--conmon-pidfile", files.ConmonPidFile,
            "--pidfile", files.ContainerPidFile,
            "--label", $"{ContainerLabels.Service}={spec.Name}",
            "--label", $"{ContainerLabels.Manager}={ManagerLabelValue}",
            "--label", $"{SystemdUnitLabel}={ContainerUnitName(spec.Name)}",
        ];
        if (spec.Update != UpdatePolicy.None)
        {
            create.AddRange(["--label", $"{AutoUpdateLabel}={spec.Update.ToText()}"]);
        }

        if (ContainerInputs.Of(spec) is { } inputs)
        {
            create.AddRange(["--label", $"{ContainerLabels.Inputs}={inputs}"]);
        }

        // podman applies --env after --env-file: env: wins, as in compose.
        foreach (var file in spec.EnvFiles)
        {
            create.AddRange(["--env-file", file.Path]);
        }

        foreach (var (name, value) in spec.Env.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            create.AddRange(["-e", $"{name}={value}"]);
        }

        foreach (var secret in spec.Secrets)
        {
            create.AddRange(["--secret", secret.CreateOption(spec.Name)]);
        }

        if (spec.User is { } user)
        {
            create.AddRange(["--user", user]);
        }

        create.AddRange(spec.Resources.CreateOptions());

        foreach (var volume in spec.Volumes)
        {
            var mountOptions = volume.Options.Count == 0 ? "" : $":{string.Join(',', volume.Options)}";
            create.AddRange(["-v", $"{volume.Source}:{volume.Target}{mountOptions}"]);
        }

        if (options.NetworkNamespace)
        {
            create.AddRange(["--network", $"ns:{ServiceNetwork.NamespacePath(spec.Name)}"]);
        }

        if (options.Rootless)
        {
            foreach (var port in spec.Ports.Select(p => (p.ContainerPort, p.Protocol)).Distinct())
            {
                var protocol = port.Protocol.ToText();
                create.AddRange(["-p", $"{PublishHost}::{port.ContainerPort.ToString(CultureInfo.InvariantCulture)}/{protocol}"]);
            }
        }

        // Last before the image: the user's own options (none that podwake sets, the parser made sure).
        create.AddRange(spec.PodmanArgs);
        create.Add(spec.Image!);
        if (spec.Command is { } command)
        {
            create.AddRange(command);
        }

        return create;
    }

    /// <summary>systemd's <c>Restart=</c> takes the service file's words (<see cref="RestartPolicyText"/>).</summary>
    private static string Restart(RestartPolicy policy) => policy.ToText();
}
