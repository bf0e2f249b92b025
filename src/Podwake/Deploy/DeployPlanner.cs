using Podwake.Host;
using Podwake.Network;
using Podwake.Podman;
using Podwake.Specs;
using Podwake.Systemd;
using Podwake.Units;

namespace Podwake.Deploy;

/// <summary>
/// Works out <see cref="DeployPlan"/> by reading the host only (files, podman's store, the passwd database): nothing
/// is written, created or started, so a bad file, a refused <c>run_as:</c> or <c>--dry-run</c> leave the host as it was.
/// </summary>
internal sealed class DeployPlanner
{
    private readonly DeployOptions _options;
    private readonly UnixUser _me;
    private readonly Func<CancellationToken, Task<bool>> _networkNamespacesAvailable;
    private bool _networkNamespaces;

    /// <param name="networkNamespacesAvailable">
    /// Whether rootful services get a kept network namespace here (podman on CNI, <see cref="ServiceNetwork"/>); the
    /// default asks the host. A test seam: the unit files can then be planned without podman.
    /// </param>
    public DeployPlanner(DeployOptions options, UnixUser me, Func<CancellationToken, Task<bool>>? networkNamespacesAvailable = null)
    {
        _options = options;
        _me = me;
        _networkNamespacesAvailable = networkNamespacesAvailable
            ?? (async cancellationToken => await ServiceNetwork.UnavailableReasonAsync(cancellationToken: cancellationToken).ConfigureAwait(false) is null);
    }

    /// <summary>The plan, or the problems (as <c>FILE:LINE:COL</c> diagnostics) that forbid deploying (a side-car's wrapper path is someone else's file, a name deployed as the other kind of service).</summary>
    /// <exception cref="EnvironmentException">The manager asked for cannot exist here (<c>--system</c> without systemd as PID 1).</exception>
    public async Task<(DeployPlan? Plan, IReadOnlyList<Diagnostic> Problems)> PlanAsync(
        IReadOnlyList<ServiceSpec> specs, CancellationToken cancellationToken = default)
    {
        var problems = new List<Diagnostic>();
        var resolved = new List<(ServiceSpec Spec, DeployTarget Target, DeployTarget? Expose)>();
        foreach (var spec in specs)
        {
            var (target, expose) = await ResolveAsync(spec, problems, cancellationToken).ConfigureAwait(false);
            if (target is not null)
            {
                resolved.Add((spec, target, expose));
            }
        }

        if (problems.Count > 0)
        {
            return (null, problems);
        }

        await DecideNetworkNamespacesAsync(resolved.Any(r => !r.Target.Rootless), cancellationToken).ConfigureAwait(false);

        var plans = new List<ServicePlan>();
        foreach (var (spec, target, expose) in resolved)
        {
            plans.Add(spec.Sidecar is not null ? await SidecarServicePlanner.PlanAsync(this, spec, target, problems, cancellationToken).ConfigureAwait(false)
                : spec.Kube is null ? await PlanServiceAsync(spec, target, expose, cancellationToken).ConfigureAwait(false)
                : await PodServicePlanner.PlanAsync(this, spec, target, expose, cancellationToken).ConfigureAwait(false));
            problems.AddRange(SidecarServicePlanner.KindProblem(spec, target) is { } kind ? [kind] : []);
        }

        return problems.Count > 0 ? (null, problems) : (new DeployPlan(plans), problems);
    }

    /// <summary>The home of the account <paramref name="target"/>'s units run as (a side-car's state folder is below it unless that is root).</summary>
    public string HomeOf(DeployTarget target) => target.User?.Home ?? _me.Home;

    /// <summary>
    /// The generator options of each of <paramref name="specs"/> as <see cref="PlanAsync"/> works them out, for
    /// <c>podwake generate</c>: without refusing what deploy refuses (a <c>run_as:</c> or <c>--system</c> for a non-root
    /// caller) and without reaching a manager (no XDG_RUNTIME_DIR needed to print units).
    /// </summary>
    public async Task<IReadOnlyList<UnitGeneratorOptions>> GeneratorOptionsAsync(IReadOnlyList<ServiceSpec> specs, CancellationToken cancellationToken = default)
    {
        var rootless = new List<bool>();
        foreach (var spec in specs)
        {
            rootless.Add(await RootlessAsync(spec, cancellationToken).ConfigureAwait(false));
        }

        await DecideNetworkNamespacesAsync(rootless.Contains(false), cancellationToken).ConfigureAwait(false);
        return rootless.Select(r => GeneratorOptions(_options.System, r)).ToList();
    }

    /// <summary>The generator options for <paramref name="target"/>.</summary>
    public UnitGeneratorOptions GeneratorOptions(DeployTarget target) => GeneratorOptions(target.Manager.IsSystem, target.Rootless);

    private UnitGeneratorOptions GeneratorOptions(bool system, bool rootless) =>
        new()
        {
            System = system,
            Rootless = rootless,
            NetworkNamespace = _networkNamespaces && !rootless,
            PodwakePath = _options.PodwakePath,
        };

    /// <summary>Rootful services get their own kept network namespace where podman networks through CNI (ServiceNetwork).</summary>
    private async Task DecideNetworkNamespacesAsync(bool anyRootful, CancellationToken cancellationToken) =>
        _networkNamespaces = anyRootful && await _networkNamespacesAvailable(cancellationToken).ConfigureAwait(false);

    /// <summary>podman runs rootless for <paramref name="spec"/>: what <see cref="ResolveAsync"/> decides for every spec it accepts.</summary>
    private async Task<bool> RootlessAsync(ServiceSpec spec, CancellationToken cancellationToken)
    {
        if (_options.System)
        {
            return false;
        }

        if (spec.RunAs is { } name && name != _me.Name)
        {
            // Another user's manager, rootless unless that account is root (then root's own manager).
            return (await UnixUser.FindAsync(name, cancellationToken).ConfigureAwait(false))?.IsRoot != true;
        }

        return !_me.IsRoot;
    }

    /// <summary>The <c>podman create</c> command of <paramref name="spec"/> in <paramref name="target"/>, without the hash label.</summary>
    public List<string> CreateCommand(ServiceSpec spec, DeployTarget target) =>
        UnitGenerator.CreateCommand(spec, GeneratorOptions(target), target.Manager.RuntimeDirectory);

    private async Task<(DeployTarget? Target, DeployTarget? Expose)> ResolveAsync(ServiceSpec spec, List<Diagnostic> problems, CancellationToken cancellationToken)
    {
        DeployTarget? target = null;
        if (spec.RunAs is { } name && name != _me.Name)
        {
            var at = spec.RunAsLocation ?? spec.Location;
            if (_options.System)
            {
                problems.Add(new Diagnostic(at, $"run_as: {name} installs the service into that user's systemd manager, which --system contradicts; drop --system, or remove run_as: for a system service"));
            }
            else if (!_me.IsRoot)
            {
                problems.Add(new Diagnostic(at, $"run_as: {name} is another user: only root can create it and install into its manager; run podwake deploy as root (sudo), or remove run_as: to deploy into your own manager"));
            }
            else
            {
                var user = await UnixUser.FindAsync(name, cancellationToken).ConfigureAwait(false);
                var create = user is null;
                if (user is not null && !user.IsRoot)
                {
                    // Before anything changes: a linked or foreign ~/.config/... is refused here, not half-way through apply.
                    UserHome.Check(user);
                }

                // useradd's default home; the real account is read back once it exists.
                user ??= new UnixUser(name, -1, -1, $"/home/{name}");
                target = user.IsRoot
                    ? RootOwn()
                    : new DeployTarget(SystemdManager.OfUser(user.Name, user.Uid, user.Home), user, create, Rootless: true);
            }
        }
        else if (_options.System)
        {
            if (!_me.IsRoot)
            {
                problems.Add(new Diagnostic(spec.Location, "--system installs into the system manager, which needs root; run podwake deploy --system as root, or drop --system for your own manager"));
            }
            else if (!SystemdHost.IsBooted)
            {
                throw new EnvironmentException("--system needs the system manager, but systemd is not PID 1 on this host; deploy without --system (root's own user manager), or boot with systemd");
            }
            else
            {
                target = new DeployTarget(SystemdManager.System, null, false, Rootless: false);
            }
        }
        else if (_me.IsRoot)
        {
            target = RootOwn();
        }
        else
        {
            target = new DeployTarget(SystemdManager.CurrentUser(), null, false, Rootless: true);
        }

        if (target is not null)
        {
            problems.AddRange(RootlessLimits.Problems(spec, target, _me));
        }

        DeployTarget? expose = null;
        if (spec.Expose.Count > 0)
        {
            if (!_me.IsRoot)
            {
                problems.Add(new Diagnostic(spec.Expose[0].Location, "expose: needs root: its forwarder is a system unit that may bind privileged ports and outside addresses; run podwake deploy as root, or remove expose:"));
            }
            else
            {
                expose = ExposeTarget();
            }
        }

        return (target, expose);
    }

    /// <summary>Root's own user manager (as `podwake user-manager start root` runs it: <c>/run/user/0</c>), where root deploys without <c>--system</c>.</summary>
    private DeployTarget RootOwn() => new(new SystemdManager(false, null, _me.Home, "/run/user/0"), null, false, Rootless: false);

    /// <summary>
    /// Where the expose pair goes: the system manager; where none runs (PID 1 is not systemd) root's user manager,
    /// which may bind privileged ports just the same.
    /// </summary>
    public DeployTarget ExposeTarget() => SystemdHost.IsBooted ? new DeployTarget(SystemdManager.System, null, false, false) : RootOwn();

    private async Task<ServicePlan> PlanServiceAsync(ServiceSpec spec, DeployTarget target, DeployTarget? expose, CancellationToken cancellationToken)
    {
        var (files, socketListenChanged, exposeListenChanged) = PlanFiles(spec, target, expose);
        // A user that does not exist yet has no store, no container and no image.
        var exists = !target.CreateUser;
        var imageId = exists ? await target.Podman.ImageIdAsync(spec.Image!, cancellationToken).ConfigureAwait(false) : null;
        var image = spec.Build is not null ? ImageAction.Build : imageId is null ? ImageAction.Pull : ImageAction.Present;
        var label = exists ? await target.Podman.ContainerLabelAsync(spec.ContainerName, SpecHash.Label, cancellationToken).ConfigureAwait(false) : null;
        var container = label is null
            ? ContainerAction.Create
            : label == SpecHash.Of(CreateCommand(spec, target), imageId) ? ContainerAction.Keep : ContainerAction.Recreate;
        return new ServicePlan(spec, target, expose, files, image, imageId, container, socketListenChanged, exposeListenChanged)
        {
            CreateCommand = CreateCommand(spec, target),
        };
    }

    /// <summary>
    /// The files deploy writes or removes for <paramref name="spec"/>: its units (<see cref="ServiceUnits"/>), a stale
    /// network unit, the spec copy, and for root the expose units (stale ones too) and the index entry. Reads the
    /// installed files to tell what changes; asks podman nothing.
    /// </summary>
    internal (List<PlannedFile> Files, bool SocketListenChanged, bool ExposeListenChanged) PlanFiles(ServiceSpec spec, DeployTarget target, DeployTarget? expose)
    {
        var files = new List<PlannedFile>();
        var manager = target.Manager;
        var units = ServiceUnits.Of(spec, GeneratorOptions(target), HomeOf(target));
        var owner = target.User;
        foreach (var unit in units.Own)
        {
            files.Add(Planned(Path.Combine(manager.UnitDirectory, unit.Name), unit.File.ToString(), manager, owner));
        }

        var networkUnit = Path.Combine(manager.UnitDirectory, UnitGenerator.NetworkUnitName(spec.Name));
        if (units.Own.All(u => u.Name != UnitGenerator.NetworkUnitName(spec.Name)) && HostFiles.Exists(networkUnit, owner))
        {
            // Deployed with a network namespace before; podman's own network set-up now (the backend changed).
            files.Add(new PlannedFile(networkUnit, null, FileChange.Remove, manager));
        }

        files.AddRange(spec.Kube is null ? [Planned(SpecCopyPath(manager, spec.Name), SpecWriter.Write(spec), manager, owner)] : PodServicePlanner.Files(spec, target));

        var exposeListenChanged = false;
        if (_me.IsRoot)
        {
            // Expose units of this service, current and stale (an expose: entry removed since the last deploy). A plan
            // has an expose target exactly when the spec has expose: entries (without root, they are refused).
            var exposeManager = (expose ?? ExposeTarget()).Manager;
            var exposeUnits = expose is null ? [] : units.Expose;
            foreach (var unit in exposeUnits)
            {
                var path = Path.Combine(exposeManager.UnitDirectory, unit.Name);
                exposeListenChanged |= unit.Name.EndsWith(".socket", StringComparison.Ordinal) && InstalledSocket.ListenChanged(path, unit.File, null);
                files.Add(Planned(path, unit.File.ToString(), exposeManager, null));
            }

            foreach (var stale in ExistingExposeUnits(exposeManager, spec.Name).Where(p => exposeUnits.All(u => u.Name != Path.GetFileName(p))))
            {
                files.Add(new PlannedFile(stale, null, FileChange.Remove, exposeManager));
            }

            files.Add(Planned(DeployedIndex.PathOf(spec.Name), target.IndexValue + "\n", null, null));
        }

        var socketPath = Path.Combine(manager.UnitDirectory, UnitGenerator.SocketUnitName(spec.Name));
        var socketListenChanged = spec.Sidecar is null && InstalledSocket.ListenChanged(socketPath, units.Own[0].File, owner);
        return (files, socketListenChanged, exposeListenChanged);
    }
    public static string SpecCopyPath(SystemdManager manager, string service) =>
        SpecCopy.PathFor(manager.ConfigDirectory, service);

    public static IEnumerable<string> ExistingExposeUnits(SystemdManager manager, string service) =>
        Directory.Exists(manager.UnitDirectory)
            ? Directory.EnumerateFiles(manager.UnitDirectory, $"podwake-{service}-expose*")
                .Where(p => p.EndsWith(".socket", StringComparison.Ordinal) || p.EndsWith(".service", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)
            : [];

    /// <param name="owner">The user whose home the file is in (root deploying a <c>run_as:</c> service): read without following links.</param>
    internal static PlannedFile Planned(string path, string content, SystemdManager? manager, UnixUser? owner)
    {
        var existing = HostFiles.ReadOrNull(path, owner);
        var change = existing is null ? FileChange.Create : existing == content ? FileChange.Unchanged : FileChange.Update;
        return new PlannedFile(path, content, change, manager) { OnlyPodwakePath = change == FileChange.Update && PodwakePathChange.IsOnly(existing!, content) };
    }
}
