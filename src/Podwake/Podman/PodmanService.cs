namespace Podwake.Podman;

/// <summary>
/// A connection to podman's API: the socket a running service already listens on (<c>$CONTAINER_HOST</c>,
/// <c>/run/podman/podman.sock</c> for root, <c>$XDG_RUNTIME_DIR/podman/podman.sock</c> rootless), or else a
/// <c>podman system service</c> that this instance starts on a private socket (<see cref="OwnPodmanService"/>:
/// in its own session, restarted when it dies, stopped on dispose).
/// </summary>
internal sealed class PodmanService : IAsyncDisposable
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);

    private readonly OwnPodmanService? _own;
    private int _disposed;

    private PodmanService(PodmanClient client, OwnPodmanService? own = null)
    {
        Client = client;
        _own = own;
    }

    public PodmanClient Client { get; }

    /// <summary>True when no service answered and this instance runs its own <c>podman system service</c>.</summary>
    public bool StartedByUs => _own is not null;

    public string SocketPath => Client.SocketPath;

    /// <summary>The PID of our own service as it runs now (setpriv's, which execs into setsid, then podman), or null.</summary>
    public int? ServiceProcessId => _own?.ProcessId;

    public static Task<PodmanService> ConnectAsync(Action<string>? log, CancellationToken cancellationToken) =>
        ConnectAsync(PodmanEnvironment.FromCurrentProcess(), log, cancellationToken);

    /// <param name="log">Routine messages.</param>
    /// <param name="warn">A death and restart of our own service (default: <paramref name="log"/>).</param>
    public static Task<PodmanService> ConnectAsync(Action<string>? log, Action<string>? warn, CancellationToken cancellationToken) =>
        ConnectAsync(PodmanEnvironment.FromCurrentProcess(), log, warn, cancellationToken);

    internal static Task<PodmanService> ConnectAsync(PodmanEnvironment environment, Action<string>? log, CancellationToken cancellationToken) =>
        ConnectAsync(environment, log, null, cancellationToken);

    internal static async Task<PodmanService> ConnectAsync(
        PodmanEnvironment environment, Action<string>? log, Action<string>? warn, CancellationToken cancellationToken)
    {
        foreach (var candidate in CandidateSockets(environment, log))
        {
            if (!File.Exists(candidate))
            {
                continue;
            }

            var client = new PodmanClient(candidate);
            try
            {
                await client.PingAsync(cancellationToken, ProbeTimeout).ConfigureAwait(false);
                log?.Invoke($"podman API at {candidate}");
                return new PodmanService(client);
            }
            catch (PodmanUnavailableException e)
            {
                log?.Invoke($"podman API socket {candidate} does not answer: {e.Message}");
                client.Dispose();
            }
        }

        return await StartOwnAsync(environment, log, warn, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// True once the API answers, within <paramref name="timeout"/>. Our own service is restarted at once if it is down
    /// (a shutdown must not wait out a backoff); a service someone else runs is only asked.
    /// </summary>
    public async Task<bool> EnsureAnsweringAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        if (_own is not null)
        {
            return await _own.EnsureAnsweringAsync(timeout, cancellationToken).ConfigureAwait(false);
        }

        try
        {
            await Client.PingAsync(cancellationToken, timeout).ConfigureAwait(false);
            return true;
        }
        catch (PodmanUnavailableException)
        {
            return false;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_own is not null)
        {
            await _own.DisposeAsync().ConfigureAwait(false);
        }

        Client.Dispose();
    }

    internal static IEnumerable<string> CandidateSockets(PodmanEnvironment environment, Action<string>? log)
    {
        if (environment.ContainerHost is { Length: > 0 } host)
        {
            if (host.StartsWith("unix://", StringComparison.Ordinal))
            {
                yield return host["unix://".Length..];
            }
            else
            {
                log?.Invoke($"CONTAINER_HOST={host} is not a unix:// socket; podwake only talks to a local podman");
            }
        }

        if (environment.IsRoot)
        {
            yield return "/run/podman/podman.sock";
        }
        else if (environment.XdgRuntimeDir is { Length: > 0 } runtimeDir)
        {
            yield return Path.Combine(runtimeDir, "podman", "podman.sock");
        }
    }

    private static async Task<PodmanService> StartOwnAsync(
        PodmanEnvironment environment, Action<string>? log, Action<string>? warn, CancellationToken cancellationToken)
    {
        var podman = environment.PodmanPath
            ?? throw new PodmanUnavailableException("podman is not installed: apt-get install podman");
        string directory;
        if (environment.IsRoot)
        {
            directory = "/run/podwake";
        }
        else if (environment.XdgRuntimeDir is { Length: > 0 } runtimeDir)
        {
            directory = Path.Combine(runtimeDir, "podwake");
        }
        else
        {
            throw new PodmanUnavailableException(
                "XDG_RUNTIME_DIR is not set: rootless podman needs it. Set XDG_RUNTIME_DIR=/run/user/$(id -u) " +
                "(a directory owned by you, mode 0700; a login session or 'loginctl enable-linger' creates it).");
        }

        if (!OperatingSystem.IsLinux())
        {
            throw new PlatformNotSupportedException("podwake runs podman on Linux only");
        }

        Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        // A podwake killed with SIGKILL could not delete its socket: such leftovers would pile up there.
        StaleSockets.Remove(directory, environment.ProcessId, log);
        var client = new PodmanClient(Path.Combine(directory, $"podman-{environment.ProcessId}.sock"));
        try
        {
            var own = await OwnPodmanService.StartAsync(podman, client, log, warn, cancellationToken).ConfigureAwait(false);
            return new PodmanService(client, own);
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }
}
