using Microsoft.Extensions.Logging;
using Podwake.Activation;
using Podwake.Podman;
using Podwake.Sidecars;
using Podwake.Specs;

namespace Podwake.Serve;

/// <summary>
/// A <c>sidecar:</c> service under <c>podwake serve</c>: the wrapper and state folder written at start, a sync pass
/// on every call (a file watch on the state folder), on the timestamp touched and on podman's news of one of its
/// containers (died, removed behind podwake's back); its containers removed when serve exits, its list kept, so the
/// next serve runs the same keys again.
/// </summary>
internal sealed class ServeSidecar : IAsyncDisposable
{
    private readonly SidecarSync _sync;
    private readonly SidecarRunner _runner;
    private readonly CancellationTokenSource _stopping = new();
    private readonly string _prefix;
    private Task? _loop;
    private IReadOnlyList<SidecarKeyStatus> _keys = [];

    private ServeSidecar(ServiceSpec spec, SidecarPaths paths, SidecarSync sync, SidecarRunner runner)
    {
        Spec = spec;
        Paths = paths;
        _sync = sync;
        _runner = runner;
        _prefix = SidecarNames.ContainerPrefix(spec.Name);
    }

    public ServiceSpec Spec { get; }

    public SidecarPaths Paths { get; }

    /// <summary>The digest of the image the keys' containers are created from, as status shows it.</summary>
    public string? ImageDigest { get; set; }

    /// <summary>Writes the wrapper and the state folder and watches it (no pass yet: <see cref="Start"/>).</summary>
    public static ServeSidecar Install(ServiceSpec spec, PodmanClient podman, ILogger logger, TimeProvider time)
    {
        var paths = SidecarPaths.ForCurrentUser(spec.Name);
        SidecarInstall.Install(spec, paths);
        var sync = new SidecarSync(spec, podman, paths, "serve", logger, time);
        ServeSidecar? made = null;
        var runner = new SidecarRunner(sync, paths, podman, logger, time)
        {
            // What status shows is read after each pass (a container's death brings a pass: its event wakes the runner).
            AfterPass = async cancellationToken => made!._keys = await SidecarListing.ReadAsync(spec.Name, paths, podman, cancellationToken).ConfigureAwait(false),
        };
        return made = new ServeSidecar(spec, paths, sync, runner);
    }

    /// <summary>The first pass runs what the list holds (what the last serve ran); then every call.</summary>
    public void Start() => _loop = Task.Run(() => _runner.RunAsync(untilIdle: false, _stopping.Token), CancellationToken.None);

    public void OnEvent(PodmanEvent podmanEvent)
    {
        if (podmanEvent.Type == "container" && podmanEvent.Action is "died" or "remove" && podmanEvent.Name?.StartsWith(_prefix, StringComparison.Ordinal) == true)
        {
            _runner.Wake();
        }
    }

    /// <summary>What <c>podwake status</c> shows: ready while a key's container runs, dormant otherwise, and the keys.</summary>
    public ServiceStatus Status()
    {
        var keys = _keys;
        return new ServiceStatus
        {
            Name = Spec.Name,
            State = keys.Any(k => k.State == "running") ? ServiceState.Ready : ServiceState.Dormant,
            Image = Spec.Image,
            ImageDigest = ImageDigest,
            Sidecars = keys,
        };
    }

    /// <summary>Stops the passes, then removes every container of the service's keys.</summary>
    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        if (_loop is not null)
        {
            await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _runner.Dispose();
        _stopping.Dispose();
        await _sync.RemoveAllAsync(CancellationToken.None).ConfigureAwait(false);
    }
}
