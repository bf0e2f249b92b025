using System.ComponentModel;

namespace Podwake.Podman;

/// <summary>
/// The <c>podman system service</c> podwake runs for itself when no API socket answers: started in a session of its
/// own, restarted when it dies, stopped on dispose, never outliving podwake.
/// </summary>
/// <remarks>
/// <para>Own session (<c>setsid</c>): ^C in serve's terminal, <c>timeout</c> and kill(-pgid) signal serve's whole
/// process group. The service used to be in it, died first, and serve could not remove its container any more
/// (measured: one container left behind per Ctrl-C, Created when dormant, running after a wake).</para>
/// <para>Never outliving podwake: it is started through util-linux's <c>setpriv --pdeathsig KILL</c> (the setting survives
/// the exec of setsid and of podman); the kernel sends that signal when the parent <em>thread</em> ends, so each fork
/// happens on a dedicated thread that lives until that service is gone. Dispose and process exit stop it too.</para>
/// <para>Supervised: it can still die (kill -9, the OOM killer, systemd's control-group kill that signals every
/// process of a unit). It is restarted on the same socket after <see cref="ApiServiceBackoff"/>, one log line per
/// death; the client's requests fail meanwhile as "cannot talk to podman" and succeed again once it answers.</para>
/// </remarks>
internal sealed class OwnPodmanService : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly string _podman;
    private readonly PodmanClient _client;
    private readonly Action<string>? _log;
    private readonly Action<string>? _warn;
    private readonly CancellationTokenSource _stop = new();
    private readonly EventHandler _onProcessExit;
    private TaskCompletionSource _restartNow = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private PodmanServiceProcess? _current;
    private Task _supervision = Task.CompletedTask;
    private int _disposed;

    private OwnPodmanService(string podman, PodmanClient client, Action<string>? log, Action<string>? warn)
    {
        _podman = podman;
        _client = client;
        _log = log;
        _warn = warn ?? log;
        _onProcessExit = (_, _) =>
        {
            if (Volatile.Read(ref _current) is { } child)
            {
                child.Stop(TimeSpan.FromSeconds(2), _log);
            }

            File.Delete(SocketPath);
        };
        AppDomain.CurrentDomain.ProcessExit += _onProcessExit;
    }

    public string SocketPath => _client.SocketPath;

    /// <summary>The PID of the current service (setpriv's, which execs into setsid, then podman).</summary>
    public int? ProcessId => Volatile.Read(ref _current)?.Pid;

    /// <summary>Starts the service on <paramref name="client"/>'s socket and waits until it answers.</summary>
    /// <param name="log">Routine messages (started, stopped).</param>
    /// <param name="warn">One line per death and restart of the service.</param>
    public static async Task<OwnPodmanService> StartAsync(
        string podman, PodmanClient client, Action<string>? log, Action<string>? warn, CancellationToken cancellationToken)
    {
        var service = new OwnPodmanService(podman, client, log, warn);
        try
        {
            await service.StartChildAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await service.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        service._supervision = Task.Run(service.SuperviseAsync, CancellationToken.None);
        return service;
    }

    /// <summary>
    /// Waits until the service answers, restarting it at once (no backoff) if it is down: serve's shutdown needs the API
    /// to remove its containers, and systemd's stop signals the service together with serve.
    /// </summary>
    public async Task<bool> EnsureAnsweringAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = _client.Time.GetTimestamp();
        while (_client.Time.GetElapsedTime(started) < timeout && !_stop.IsCancellationRequested)
        {
            try
            {
                await _client.PingAsync(cancellationToken, ProbeTimeout).ConfigureAwait(false);
                return true;
            }
            catch (PodmanUnavailableException)
            {
                Volatile.Read(ref _restartNow).TrySetResult();
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), _client.Time, cancellationToken).ConfigureAwait(false);
        }

        return false;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
        await _stop.CancelAsync().ConfigureAwait(false);
        await _supervision.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        if (Interlocked.Exchange(ref _current, null) is { } child)
        {
            await Task.Run(() => child.Stop(StopGrace, _log)).ConfigureAwait(false);
            child.Dispose();
        }

        File.Delete(SocketPath);
        _stop.Dispose();
        _log?.Invoke($"stopped our podman API service on {SocketPath}");
    }

    private async Task SuperviseAsync()
    {
        var backoff = new ApiServiceBackoff();
        while (!_stop.IsCancellationRequested)
        {
            var lived = TimeSpan.Zero;
            var what = $"podman system service on {SocketPath} did not start";
            if (Volatile.Read(ref _current) is { } child)
            {
                try
                {
                    await child.Process.WaitForExitAsync(_stop.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                lived = _client.Time.GetElapsedTime(child.StartedAt);
                what = $"podman system service (pid {child.Pid}) on {SocketPath} exited with code {child.Process.ExitCode}";
                Volatile.Write(ref _current, null);
                child.Dispose();
            }

            var diedAt = _client.Time.GetTimestamp();
            var delay = backoff.Next(lived);
            _warn?.Invoke($"{what} (failure {backoff.FailuresInARow} in a row); restarting it in {delay.TotalSeconds:0.0#} s");
            var restartNow = Volatile.Read(ref _restartNow);
            await Task.WhenAny(Task.Delay(delay, _client.Time, _stop.Token), restartNow.Task).ConfigureAwait(false);
            if (restartNow.Task.IsCompleted)
            {
                Volatile.Write(ref _restartNow, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
            }

            try
            {
                await StartChildAsync(_stop.Token).ConfigureAwait(false);
                _warn?.Invoke($"podman system service restarted (pid {ProcessId}) on {SocketPath}, {_client.Time.GetElapsedTime(diedAt).TotalMilliseconds:0} ms after it died");
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (PodmanUnavailableException e)
            {
                // The loop logs the child's exit next; one that runs without answering is stopped first.
                if (Volatile.Read(ref _current) is { } hung && !hung.Process.HasExited)
                {
                    _warn?.Invoke(e.Message.Split('\n')[0]);
                    await Task.Run(() => hung.Stop(StopGrace, _log)).ConfigureAwait(false);
                }
            }
        }
    }

    private async Task StartChildAsync(CancellationToken cancellationToken)
    {
        File.Delete(SocketPath);
        var tail = new OutputTail();
        PodmanServiceProcess child;
        try
        {
            child = await PodmanServiceProcess.StartAsync(_podman, SocketPath, tail, _client.Time).ConfigureAwait(false);
        }
        catch (Win32Exception e)
        {
            throw new PodmanUnavailableException($"Failed to start {_podman}: podman is not installed: apt-get install podman", e);
        }

        Volatile.Write(ref _current, child);
        _log?.Invoke($"started podman system service (pid {child.Pid}) on {SocketPath}");
        await WaitUntilAnsweringAsync(child, tail, cancellationToken).ConfigureAwait(false);
    }

    private async Task WaitUntilAnsweringAsync(PodmanServiceProcess child, OutputTail tail, CancellationToken cancellationToken)
    {
        // podman 4.3 needs ~150–400 ms to listen; poll fast so the first wake is not delayed.
        var started = _client.Time.GetTimestamp();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var elapsed = _client.Time.GetElapsedTime(started);
            if (child.Process.HasExited)
            {
                await child.Process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                throw new PodmanUnavailableException(
                    $"Failed to start 'podman system service' on {SocketPath}: it exited with code {child.Process.ExitCode}:" +
                    $"{Environment.NewLine}{tail}");
            }

            if (File.Exists(SocketPath))
            {
                try
                {
                    await _client.PingAsync(cancellationToken, ProbeTimeout).ConfigureAwait(false);
                    return;
                }
                catch (PodmanUnavailableException) when (elapsed < StartTimeout)
                {
                    // listening socket not accepting yet
                }
            }

            if (elapsed >= StartTimeout)
            {
                throw new PodmanUnavailableException(
                    $"Failed to start 'podman system service' on {SocketPath}: no answer within {StartTimeout.TotalSeconds:0} s. " +
                    $"Its output:{Environment.NewLine}{tail}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(10), _client.Time, cancellationToken).ConfigureAwait(false);
        }
    }
}
