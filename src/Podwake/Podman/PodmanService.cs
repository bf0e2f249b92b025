using System.ComponentModel;
using System.Diagnostics;

namespace Podwake.Podman;

/// <summary>
/// A connection to podman's API: the socket a running service already listens on (<c>$CONTAINER_HOST</c>,
/// <c>/run/podman/podman.sock</c> for root, <c>$XDG_RUNTIME_DIR/podman/podman.sock</c> rootless), or else a
/// <c>podman system service</c> that this instance starts on a private socket and stops on dispose.
/// </summary>
/// <remarks>
/// Our own service must not outlive us. Dispose stops it (SIGTERM, then SIGKILL), so does process exit
/// (<see cref="AppDomain.ProcessExit"/>, which .NET raises on SIGTERM/SIGINT too). Against SIGKILL of podwake it is
/// started through util-linux's <c>setpriv --pdeathsig KILL</c>; the kernel sends that signal when the parent
/// <em>thread</em> ends, so the fork happens on a dedicated thread that lives until dispose (a thread-pool thread
/// can retire and would take the service with it).
/// </remarks>
internal sealed class PodmanService : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);
    private const string SetprivPath = "/usr/bin/setpriv";

    private readonly Process? _child;
    private readonly ManualResetEventSlim? _releaseParentThread;
    private readonly EventHandler? _onProcessExit;
    private readonly Action<string>? _log;
    private int _disposed;

    private PodmanService(PodmanClient client, string socketPath, Action<string>? log)
    {
        Client = client;
        SocketPath = socketPath;
        _log = log;
    }

    private PodmanService(PodmanClient client, string socketPath, Action<string>? log, Process child, ManualResetEventSlim releaseParentThread)
        : this(client, socketPath, log)
    {
        StartedByUs = true;
        _child = child;
        _releaseParentThread = releaseParentThread;
        _onProcessExit = (_, _) => StopChild(TimeSpan.FromSeconds(2));
        AppDomain.CurrentDomain.ProcessExit += _onProcessExit;
    }

    public PodmanClient Client { get; }

    /// <summary>True when no service answered and this instance runs its own <c>podman system service</c>.</summary>
    public bool StartedByUs { get; }

    public string SocketPath { get; }

    /// <summary>The PID of our own service (of setpriv, which execs into podman), or null.</summary>
    public int? ServiceProcessId => _child?.Id;

    public static Task<PodmanService> ConnectAsync(Action<string>? log, CancellationToken cancellationToken) =>
        ConnectAsync(PodmanEnvironment.FromCurrentProcess(), log, cancellationToken);

    internal static async Task<PodmanService> ConnectAsync(PodmanEnvironment environment, Action<string>? log, CancellationToken cancellationToken)
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
                return new PodmanService(client, candidate, log);
            }
            catch (PodmanUnavailableException e)
            {
                log?.Invoke($"podman API socket {candidate} does not answer: {e.Message}");
                client.Dispose();
            }
        }

        return await StartOwnAsync(environment, log, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        Client.Dispose();
        if (_child is null)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= _onProcessExit;
        await Task.Run(() => StopChild(StopGrace)).ConfigureAwait(false);
        _child.Dispose();
        _releaseParentThread?.Set();
        _log?.Invoke($"stopped our podman API service on {SocketPath}");
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

    private static async Task<PodmanService> StartOwnAsync(PodmanEnvironment environment, Action<string>? log, CancellationToken cancellationToken)
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
        var socketPath = Path.Combine(directory, $"podman-{environment.ProcessId}.sock");
        File.Delete(socketPath);

        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (File.Exists(SetprivPath))
        {
            start.FileName = SetprivPath;
            start.ArgumentList.Add("--pdeathsig");
            start.ArgumentList.Add("KILL");
            start.ArgumentList.Add("--");
            start.ArgumentList.Add(podman);
        }
        else
        {
            start.FileName = podman;
        }

        foreach (var argument in (string[])["system", "service", "--time=0", $"unix://{socketPath}"])
        {
            start.ArgumentList.Add(argument);
        }

        var tail = new OutputTail();
        var release = new ManualResetEventSlim();
        Process child;
        try
        {
            child = await StartOnParentThreadAsync(start, tail, release).ConfigureAwait(false);
        }
        catch (Win32Exception e)
        {
            release.Dispose();
            throw new PodmanUnavailableException($"Failed to start {podman}: podman is not installed: apt-get install podman", e);
        }

        log?.Invoke($"started podman system service (pid {child.Id}) on {socketPath}");
        var client = new PodmanClient(socketPath);
        var service = new PodmanService(client, socketPath, log, child, release);
        try
        {
            await WaitUntilAnsweringAsync(service, child, tail, cancellationToken).ConfigureAwait(false);
            return service;
        }
        catch
        {
            await service.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Forks on a thread that stays alive until <paramref name="release"/> is set (see the remarks on PDEATHSIG).</summary>
    private static Task<Process> StartOnParentThreadAsync(ProcessStartInfo start, OutputTail tail, ManualResetEventSlim release)
    {
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        var thread = new Thread(() =>
        {
            var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) => tail.Add(e.Data);
            process.ErrorDataReceived += (_, e) => tail.Add(e.Data);
            try
            {
                process.Start();
                // The service must not read our stdin (a terminal, or systemd's socket).
                process.StandardInput.Close();
                process.BeginOutputReadLine();
                process.BeginErrorReadLine();
            }
            catch (Exception e)
            {
                process.Dispose();
                started.SetException(e);
                return;
            }

            started.SetResult(process);
            release.Wait();
            release.Dispose();
        })
        {
            IsBackground = true,
            Name = "podman service parent",
        };
        thread.Start();
        return started.Task;
    }

    private static async Task WaitUntilAnsweringAsync(PodmanService service, Process child, OutputTail tail, CancellationToken cancellationToken)
    {
        // podman 4.3 needs ~150–400 ms to listen; poll fast so the first wake is not delayed.
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (child.HasExited)
            {
                await child.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                throw new PodmanUnavailableException(
                    $"Failed to start 'podman system service' on {service.SocketPath}: it exited with code {child.ExitCode}:" +
                    $"{Environment.NewLine}{tail}");
            }

            if (File.Exists(service.SocketPath))
            {
                try
                {
                    await service.Client.PingAsync(cancellationToken, ProbeTimeout).ConfigureAwait(false);
                    return;
                }
                catch (PodmanUnavailableException) when (deadline.Elapsed < StartTimeout)
                {
                    // listening socket not accepting yet
                }
            }

            if (deadline.Elapsed >= StartTimeout)
            {
                throw new PodmanUnavailableException(
                    $"Failed to start 'podman system service' on {service.SocketPath}: no answer within {StartTimeout.TotalSeconds:0} s. " +
                    $"Its output:{Environment.NewLine}{tail}");
            }

            await Task.Delay(10, cancellationToken).ConfigureAwait(false);
        }
    }

    private void StopChild(TimeSpan grace)
    {
        var child = _child!;
        try
        {
            if (!child.HasExited)
            {
                NativeMethods.Kill(child.Id, NativeMethods.SigTerm);
                if (!child.WaitForExit(grace))
                {
                    _log?.Invoke($"podman system service (pid {child.Id}) ignored SIGTERM for {grace.TotalSeconds:0} s; killing it");
                    child.Kill(entireProcessTree: true);
                    child.WaitForExit(grace);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // it was never started or is already reaped
        }

        File.Delete(SocketPath);
    }
}
