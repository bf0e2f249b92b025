using Microsoft.Extensions.Logging;
using Podwake.Podman;

namespace Podwake.Sidecars;

/// <summary>
/// Runs sync passes when something asks for one: a call (a file renamed into <c>calls/</c>), the timestamp touched
/// (the wrapper after each call, <c>podwake sidecar remove</c>, or anyone who edited the list), or the exit of a
/// foreground run. <c>serve</c> runs it for as long as it serves; the systemd runtime's oneshot unit runs it until
/// nothing is left to do (no call waiting, no foreground run to collect), and the .path unit starts it again.
/// </summary>
internal sealed class SidecarRunner : IDisposable
{
    /// <summary>How long the oneshot unit's last pass waits for one more touch before it ends.</summary>
    private static readonly TimeSpan Linger = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan FirstRetry = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan MaxRetry = TimeSpan.FromSeconds(30);

    /// <summary>How often serve looks for a call no watch reported (the kernel's event queue overflowed in a flood).</summary>
    private static readonly TimeSpan Recheck = TimeSpan.FromSeconds(2);

    private readonly SidecarSync _sync;
    private readonly SidecarPaths _paths;
    private readonly PodmanClient _podman;
    private readonly ILogger _logger;
    private readonly TimeProvider _time;
    private TaskCompletionSource _wake = NewSignal();
    private readonly FileSystemWatcher _calls;
    private readonly FileSystemWatcher _timestamp;

    public SidecarRunner(SidecarSync sync, SidecarPaths paths, PodmanClient podman, ILogger logger, TimeProvider time)
    {
        _sync = sync;
        _paths = paths;
        _podman = podman;
        _logger = logger;
        _time = time;

        // Set up before the first pass, so a call made during it is not missed. Our own writes (keys/, status/) are not watched.
        _calls = new FileSystemWatcher(paths.Calls, "*.call") { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite };
        _calls.Created += (_, _) => Wake();
        _calls.Renamed += (_, _) => Wake();
        // An overflow of the kernel's queue loses events (which calls arrived is unknown): a pass looks at them all.
        _calls.Error += (_, _) => Wake();
        _calls.EnableRaisingEvents = true;
        // The whole folder, not only the timestamp: a caller may remove calls/, keys/ or status/ or put a link in their
        // place, and the wrapper fails at once without calls/ (it never touches the timestamp): a pass makes them again.
        _timestamp = new FileSystemWatcher(paths.Directory)
        {
            NotifyFilter = NotifyFilters.FileName | NotifyFilters.DirectoryName | NotifyFilters.LastWrite | NotifyFilters.Attributes,
        };
        _timestamp.Changed += (_, e) => WakeOn(e.Name);
        _timestamp.Created += (_, e) => WakeOn(e.Name);
        _timestamp.Deleted += (_, e) => WakeOn(e.Name);
        _timestamp.Renamed += (_, e) => WakeOn(e.Name);
        _timestamp.Error += (_, _) => Wake();
        _timestamp.EnableRaisingEvents = true;
    }

    /// <summary>The timestamp's modification time when the last pass began: a touch after it asks for another pass.</summary>
    public DateTime TimestampAtLastPass { get; private set; }

    /// <summary>Runs after each pass (serve refreshes what status shows).</summary>
    public Func<CancellationToken, Task>? AfterPass { get; init; }

    /// <summary>Asks for a pass (a podman event about one of the service's containers, say).</summary>
    public void Wake() => Volatile.Read(ref _wake).TrySetResult();

    /// <param name="untilIdle">Return once a pass leaves nothing to wait for (the oneshot unit); otherwise run until cancelled (serve).</param>
    public async Task RunAsync(bool untilIdle, CancellationToken cancellationToken)
    {
        var waits = new Dictionary<string, Task>(StringComparer.Ordinal);
        TimeSpan? retry = null;
        while (!cancellationToken.IsCancellationRequested)
        {
            // A wake from here on (during the pass too) asks for the next pass.
            var wake = NewSignal();
            Volatile.Write(ref _wake, wake);

            TimestampAtLastPass = TimestampTime(_paths);
            IReadOnlyList<string> foreground;
            try
            {
                foreground = await _sync.PassAsync(cancellationToken).ConfigureAwait(false);
                retry = null;
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested
                && ex is PodmanException or PodmanUnavailableException or IOException or InvalidDataException or UnauthorizedAccessException)
            {
                // podman's API gone (serve restarts its own) used to end the passes for good: the next call found nobody.
                if (untilIdle)
                {
                    throw;
                }

                // Calls taken by the failed pass wait for an answer: try again soon (backing off), not only at the next call.
                retry = retry is { } last ? TimeSpan.FromTicks(Math.Min(last.Ticks * 2, MaxRetry.Ticks)) : FirstRetry;
                SidecarLog.PassFailed(_logger, _sync.Spec.Name, retry.Value.TotalSeconds, ex.Message);
                foreground = [];
            }

            if (AfterPass is { } afterPass)
            {
                await afterPass(cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }

            foreach (var done in waits.Where(w => w.Value.IsCompleted || !foreground.Contains(w.Key, StringComparer.Ordinal)).Select(w => w.Key).ToList())
            {
                waits.Remove(done);
            }

            foreach (var name in foreground.Where(n => !waits.ContainsKey(n)))
            {
                waits[name] = WaitForExitAsync(name, cancellationToken);
            }

            if (untilIdle && waits.Count == 0)
            {
                // A caller answered by this pass often acts at once (removes a key, touches the timestamp): a touch
                // after this process decided to end but before systemd saw it end is lost (the path unit does not fire
                // for a unit still active, nor look again when it ends). Seen in every other run of the systemd tests:
                // the touch came ~100 ms after the answer. So the last pass lingers a moment for such a touch.
                await Task.WhenAny(wake.Task, Task.Delay(Linger, _time, cancellationToken)).ConfigureAwait(false);
                if (!wake.Task.IsCompleted)
                {
                    return;
                }

                continue;
            }

            // A foreground run's exit ends the wait too: the pass that collects it comes next.
            await WaitForNextPassAsync(wake, waits.Values, retry, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Waits for a wake, a foreground run's exit or the retry; every <see cref="Recheck"/> it also looks whether
    /// something asked for a pass that no watch reported (a call in <c>calls/</c>, the timestamp touched), as a flood can
    /// overflow inotify's queue and lose events without an error the watcher sees in time.
    /// </summary>
    private async Task WaitForNextPassAsync(TaskCompletionSource wake, IEnumerable<Task> waits, TimeSpan? retry, CancellationToken cancellationToken)
    {
        Task[] again = retry is { } delay ? [Task.Delay(delay, _time, cancellationToken)] : [];
        Task[] until = [wake.Task.WaitAsync(cancellationToken), .. waits, .. again];
        while (true)
        {
            var recheck = Task.Delay(Recheck, _time, cancellationToken);
            if (await Task.WhenAny([.. until, recheck]).ConfigureAwait(false) != recheck)
            {
                return;
            }

            if (cancellationToken.IsCancellationRequested || AskedAgainQuietly(_paths, TimestampAtLastPass))
            {
                return;
            }
        }
    }

    /// <summary><see cref="AskedAgain"/>, or yes when the folder cannot be read (the pass then reports why).</summary>
    private static bool AskedAgainQuietly(SidecarPaths paths, DateTime since)
    {
        try
        {
            return AskedAgain(paths, since);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            return true;
        }
    }

    /// <summary>Wakes for the timestamp and the folders; not for the temporary files of podwake's own writes in the folder.</summary>
    private void WakeOn(string? name)
    {
        if (name is SidecarPaths.TimestampFile or SidecarPaths.CallsFolder or SidecarPaths.KeysFolder or SidecarPaths.StatusFolder)
        {
            Wake();
        }
    }

    /// <summary>
    /// Whether something asked for a pass that no pass took: a call waiting, or the timestamp touched since
    /// <paramref name="since"/>. The oneshot unit asks this as the very last thing before it exits: a touch while it
    /// was finishing reaches no watch, and systemd's path unit does not fire for a unit that is still active.
    /// </summary>
    public static bool AskedAgain(SidecarPaths paths, DateTime since)
    {
        if (TimestampTime(paths) != since)
        {
            return true;
        }

        using var store = SidecarStore.Open(paths, create: false);
        return store is not null && store.PendingCallIds().Count > 0;
    }

    private static DateTime TimestampTime(SidecarPaths paths)
    {
        try
        {
            return File.GetLastWriteTimeUtc(paths.Timestamp);
        }
        catch (IOException)
        {
            return DateTime.MinValue;
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private async Task WaitForExitAsync(string container, CancellationToken cancellationToken)
    {
        try
        {
            await _podman.WaitAsync(container, Podman.ContainerWaitCondition.Exited, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PodmanException or PodmanUnavailableException or HttpRequestException or IOException)
        {
            // Gone or podman restarting: the next pass looks, after a pause so a failing wait does not spin.
            await Task.Delay(TimeSpan.FromMilliseconds(200), _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    public void Dispose()
    {
        _calls.Dispose();
        _timestamp.Dispose();
    }
}
