using System.Globalization;
using Podwake.Podman;
using Podwake.Specs;

namespace Podwake.Units;

/// <content>
/// The container unit of a <c>pod:</c> service: one unit per workload that systemd tracks through podman's service
/// container, as podman's own <c>podman-kube@.service</c> does, but without its <c>kube play --replace</c> per start.
/// </content>
/// <remarks>
/// <para><c>podman-kube@.service</c> (podman 4.3, <c>/usr/lib/systemd/user</c>) runs <c>podman kube play --replace
/// --service-container=true</c> in <c>ExecStart=</c> (<c>Type=notify</c>) and <c>kube down</c> in <c>ExecStop=</c>: every
/// start creates the pod, its containers and its volumes again (about 0.8 s here for two busybox containers) and every
/// stop removes them. A wake must only start what deploy created, as the single container's unit does, so deploy plays
/// the file once and this unit starts the service container (<c>Type=forking</c>: its conmon is the main process, read
/// through a link deploy keeps at the container's conmon pidfile) and then the pod; it stops the pod first, then the
/// service container (podman stops that one itself with the pod's last container; asked again in case it did not).</para>
/// <para>The service-container order is podman's: start(service container) &lt; start(pod), stop(pod) &lt; stop(service
/// container). A container of the pod that dies leaves the unit up (the service container still runs): the activator
/// sees it die and starts it again with <c>podman pod start</c>, which starts only what does not run.</para>
/// </remarks>
internal static partial class UnitGenerator
{
    /// <summary>
    /// A deployed pod service's service container, renamed so by deploy right after the play (podman names it after the
    /// played file's hash; libpod links the pod to it by ID, so the name is free). The <c>.</c> keeps it apart from every
    /// service's container, pod and member names: a service name has none.
    /// </summary>
    public static string ServiceContainerName(string service) => $"podwake-{service}.service-container";

    /// <summary>
    /// The exit statuses of a clean stop: 143 as for a single container, and 137, how the service container (catatonit,
    /// killed by podman once the pod stopped) ends; conmon, the unit's main process, passes it on.
    /// </summary>
    private const string PodSuccessExitStatus = "137 143";

    private static UnitFile PodContainer(ServiceSpec spec, UnitGeneratorOptions options)
    {
        var pod = spec.ContainerName;
        var serviceContainer = ServiceContainerName(spec.Name);
        var unit = NewUnit($"podwake pod of {spec.Name}");
        unit.Add(UnitSections.Unit, UnitKeys.Documentation, "man:podman-kube-play(1)");
        if (options.System)
        {
            unit.Add(UnitSections.Unit, UnitKeys.Wants, "network-online.target");
            unit.Add(UnitSections.Unit, UnitKeys.After, "network-online.target");
        }

        unit.Add(UnitSections.Unit, UnitKeys.RequiresMountsFor, "%t/containers");
        unit.Add(UnitSections.Unit, UnitKeys.StopWhenUnneeded, "yes");

        // The activator restarts what dies (podman pod start, per restart:, clients held). The unit's main process is the
        // service container's conmon, which ends only when someone stops, kills or removes it; a restart by systemd then
        // raced the activator: its failing start's ExecStopPost= stopped the pod the activator had just played again
        // (podman pod rm -f under a client loop: "not ready within 30s", one run in three).
        unit.Add(UnitSections.Service, UnitKeys.Restart, "no");
        unit.Add(UnitSections.Service, UnitKeys.SuccessExitStatus, PodSuccessExitStatus);
        unit.Add(UnitSections.Service, UnitKeys.TimeoutStopSec, TimeoutStopSec.ToString(CultureInfo.InvariantCulture));

        // As podman-kube@.service: podman labels what it starts with the unit that runs it (auto-update, events).
        unit.Add(UnitSections.Service, UnitKeys.Environment, "PODMAN_SYSTEMD_UNIT=%n");
        unit.AddComment(UnitSections.Service, "The pod and its service container are played once by podwake deploy; a wake starts them, never plays or pulls.");
        unit.Add(UnitSections.Service, UnitKeys.RuntimeDirectory, ContainerRunFiles.DirectoryName(spec.Name));

        // The service container's conmon pidfile has its ID in its path; deploy keeps a link to it in the deploy state. systemd
        // removes a PIDFile= when the service stops (it removed that link itself, and the next start waited forever for it),
        // so the unit reads a copy of the link, made at each start in its runtime directory. Names are [a-z0-9-]: no quoting.
        var pidFile = ContainerRunFiles.For(spec.Name, "%t").ConmonPidFile;
        unit.Add(UnitSections.Service, UnitKeys.ExecStartPre, $"{SystemdQuoting.ExecLine(["/bin/cp", "-P", "--remove-destination"])} {SpecCopy.ConmonPidLinkUnitPath(spec.Name)} {pidFile}");
        unit.Add(UnitSections.Service, UnitKeys.ExecStart, SystemdQuoting.ExecLine([options.PodmanPath, "start", serviceContainer]));
        unit.Add(UnitSections.Service, UnitKeys.ExecStartPost, SystemdQuoting.ExecLine([options.PodmanPath, "pod", "start", pod]));
        var timeout = ContainerDefaults.StopTimeoutSeconds.ToString(CultureInfo.InvariantCulture);
        string[] stopPod = [options.PodmanPath, "pod", "stop", "--ignore", "-t", timeout, pod];
        unit.Add(UnitSections.Service, UnitKeys.ExecStop, SystemdQuoting.ExecLine(stopPod));

        // Also after a failed start or a crash, so no half-started pod outlives its unit; the service container last.
        unit.Add(UnitSections.Service, UnitKeys.ExecStopPost, "-" + SystemdQuoting.ExecLine(stopPod));
        unit.Add(UnitSections.Service, UnitKeys.ExecStopPost, "-" + SystemdQuoting.ExecLine([options.PodmanPath, "stop", "--ignore", "-t", timeout, serviceContainer]));
        unit.Add(UnitSections.Service, UnitKeys.PIDFile, pidFile);
        unit.Add(UnitSections.Service, UnitKeys.Type, "forking");
        return unit;
    }
}
