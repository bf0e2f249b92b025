using System.Text.Json;
using Podwake.Activation;
using Podwake.Control;
using Podwake.Host;
using Podwake.Podman;
using Podwake.Sidecars;
using Podwake.Specs;
using Podwake.Systemd;
using Podwake.Units;

namespace Podwake.Deploy;

/// <summary>
/// What <c>podwake status</c> shows of deployed services whose activator is not running: dormant while their socket
/// unit listens (with the last wake the last activator left behind), failed when it does not.
/// </summary>
internal static class DeployedStatus
{
    /// <summary>Root's user manager's runtime directory (<c>%t</c>), where deploy reaches it.</summary>
    public const string RootUserRuntimeDirectory = "/run/user/0";

    public static async Task<IReadOnlyList<StatusDocument>> DormantAsync(RuntimePaths paths, IReadOnlyList<StatusDocument> running, CancellationToken cancellationToken)
    {
        var awake = running.Where(d => d.Runtime == StatusDocument.RuntimeSystemd).SelectMany(d => d.Services).Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var documents = new List<StatusDocument>();
        foreach (var (manager, file, name) in SpecCopies().Where(copy => !awake.Contains(copy.Name)))
        {
            documents.Add(await DormantDocumentAsync(paths, new Systemctl(manager), file, name, cancellationToken).ConfigureAwait(false));
        }

        return documents;
    }

    /// <summary>The spec copy of every service deployed into this user's managers (<see cref="Managers"/>), in name order per manager.</summary>
    public static IEnumerable<(SystemdManager Manager, string File, string Name)> SpecCopies()
    {
        foreach (var manager in Managers())
        {
            var directory = SpecCopy.Directory(manager.ConfigDirectory);
            if (!Directory.Exists(directory))
            {
                continue;
            }

            foreach (var file in Directory.EnumerateFiles(directory, "*.yaml").Order(StringComparer.Ordinal))
            {
                yield return (manager, file, Path.GetFileNameWithoutExtension(file));
            }
        }
    }

    private static async Task<StatusDocument> DormantDocumentAsync(RuntimePaths paths, Systemctl systemctl, string file, string name, CancellationToken cancellationToken)
    {
        var last = ReadLastState(paths, name);
        var spec = SpecLoader.Load([file]).Services.FirstOrDefault();
        if (spec?.Sidecar is not null)
        {
            return await SidecarDocumentAsync(systemctl, spec, cancellationToken).ConfigureAwait(false);
        }

        var listen = spec?.Ports.Select(p => p.ListenDisplay).ToList() ?? [];
        var socket = UnitGenerator.SocketUnitName(name);
        var (state, unreachable) = await UnitStateAsync(systemctl, socket, cancellationToken).ConfigureAwait(false);
        var listening = state == "active";
        var status = (last ?? new ServiceStatus { Name = name, State = ServiceState.Dormant }) with
        {
            Name = name,
            State = listening ? ServiceState.Dormant : ServiceState.Failed,
            Listen = listen,
            OpenConnections = 0,
            HeldConnections = 0,
            LiveFlows = 0,
            HeldDatagrams = 0,
            IdleRemainingSeconds = null,
            LastError = listening ? last?.LastError : unreachable ?? $"{socket} is {state}, so nothing listens: systemctl {systemctl.Manager.ScopeFlag} start {socket}",
            Image = spec?.Image ?? last?.Image,
            Pod = spec?.Kube is null ? last?.Pod : spec.ContainerName,
            ImageDigest = spec?.Image is null ? null : await DeployedContainer.RunningDigestAsync(new TargetPodman(null), spec, cancellationToken).ConfigureAwait(false),
            LastUpdate = LastUpdateRecord.Read(paths, name) ?? last?.LastUpdate,
        };
        return new StatusDocument { Pid = null, Runtime = StatusDocument.RuntimeSystemd, StartedAt = null, Services = [status] };
    }

    /// <summary>A deployed <c>sidecar:</c> service: its keys; ready while one's container runs, failed when its path unit does not watch.</summary>
    private static async Task<StatusDocument> SidecarDocumentAsync(Systemctl systemctl, ServiceSpec spec, CancellationToken cancellationToken)
    {
        var pathUnit = UnitGenerator.SidecarPathUnitName(spec.Name);
        var (state, unreachable) = await UnitStateAsync(systemctl, pathUnit, cancellationToken).ConfigureAwait(false);
        var podman = new TargetPodman(null);
        var keys = await SidecarListing.ReadAsync(spec.Name, SidecarPaths.ForCurrentUser(spec.Name), async () =>
        {
            var ps = await podman.RunAsync(["ps", "--all", "--filter", $"label={ContainerLabels.Service}={spec.Name}", "--format", "json"], cancellationToken).ConfigureAwait(false);
            return ps.ExitCode == 0 ? JsonSerializer.Deserialize(ps.Stdout, PodmanJsonContext.Default.IReadOnlyListContainerSummary) ?? [] : [];
        }).ConfigureAwait(false);
        var status = new ServiceStatus
        {
            Name = spec.Name,
            State = state != "active" ? ServiceState.Failed : keys.Any(k => k.State == "running") ? ServiceState.Ready : ServiceState.Dormant,
            LastError = state == "active" ? null : unreachable ?? $"{pathUnit} is {state}, so no call is taken: systemctl {systemctl.Manager.ScopeFlag} start {pathUnit}",
            Image = spec.Image,
            Sidecars = keys,
        };
        return new StatusDocument { Pid = null, Runtime = StatusDocument.RuntimeSystemd, StartedAt = null, Services = [status] };
    }

    /// <summary>
    /// The unit's ActiveState; when its manager cannot be reached (a user manager not started after a reboot without
    /// linger), null and what to start: status reports every deployed service, it does not die at the first.
    /// </summary>
    private static async Task<(string? State, string? Unreachable)> UnitStateAsync(Systemctl systemctl, string unit, CancellationToken cancellationToken)
    {
        try
        {
            return (await systemctl.ActiveStateAsync(unit, cancellationToken).ConfigureAwait(false), null);
        }
        catch (ExternalCommandException ex)
        {
            var why = ex.Result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? $"exit {ex.Result.ExitCode}";
            var manager = systemctl.Manager;
            if (manager.IsSystem)
            {
                return (null, $"the system manager cannot be reached ({why}), so {unit} does not run: services deployed with --system need systemd as PID 1");
            }

            var user = manager.UserName ?? Environment.UserName;
            return (null, $"the systemd user manager of {user} cannot be reached ({why}), so {unit} does not run: "
                + $"start it with `sudo podwake user-manager start {user}`, or `loginctl enable-linger {user}` on a host with systemd-logind");
        }
    }

    public static ServiceStatus? ReadLastState(RuntimePaths paths, string name)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(paths.LastStateFile(name)), ControlJsonContext.Default.ServiceStatus);
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>
    /// This user's manager, and the system's too for root (services deployed with --system). Root's own user manager is
    /// at /run/user/0 whether or not a login session set XDG_RUNTIME_DIR (sudo, su, cron do not): deploy puts root's
    /// services there, so status must find them there too.
    /// </summary>
    private static IEnumerable<SystemdManager> Managers()
    {
        if (Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") is { Length: > 0 })
        {
            yield return SystemdManager.CurrentUser();
        }
        else if (Environment.IsPrivilegedProcess)
        {
            var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            yield return new SystemdManager(false, null, home.Length > 0 ? home : "/root", RootUserRuntimeDirectory);
        }

        if (Environment.IsPrivilegedProcess)
        {
            yield return SystemdManager.System;
        }
    }
}
