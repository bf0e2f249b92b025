using System.Diagnostics;

namespace Podwake.Podman;

/// <summary>
/// One process of the <c>podman system service</c> podwake runs for itself (<see cref="OwnPodmanService"/>): how it is
/// launched (through <c>setpriv --pdeathsig KILL</c> and <c>setsid</c>, from a thread that lives as long as it) and
/// stopped (SIGTERM, then a kill after a grace period).
/// </summary>
internal sealed class PodmanServiceProcess : IDisposable
{
    private const string SetprivPath = "/usr/bin/setpriv";
    private const string SetsidPath = "/usr/bin/setsid";

    private readonly ManualResetEventSlim _releaseParentThread;
    private int _disposed;

    private PodmanServiceProcess(Process process, ManualResetEventSlim releaseParentThread, long startedAt)
    {
        Process = process;
        StartedAt = startedAt;
        Pid = process.Id;
        _releaseParentThread = releaseParentThread;
    }

    public Process Process { get; }

    public int Pid { get; }

    /// <summary>When it started, a timestamp of the <see cref="TimeProvider"/> given to <see cref="StartAsync"/>.</summary>
    public long StartedAt { get; }

    /// <summary>
    /// Starts <c>PODMAN system service --time=0 unix://SOCKET</c> on a thread of its own (PDEATHSIG follows the parent
    /// <em>thread</em>), its output kept in <paramref name="tail"/>; a missing binary fails with a Win32Exception.
    /// </summary>
    public static Task<PodmanServiceProcess> StartAsync(string podman, string socketPath, OutputTail tail, TimeProvider time)
    {
        var start = CreateStartInfo(podman, socketPath);
        var started = new TaskCompletionSource<PodmanServiceProcess>(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new ManualResetEventSlim();
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
                release.Dispose();
                started.SetException(e);
                return;
            }

            started.SetResult(new PodmanServiceProcess(process, release, time.GetTimestamp()));
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

    /// <summary>SIGTERM, and a kill of its whole tree when it has not exited after <paramref name="grace"/> (told to <paramref name="log"/>).</summary>
    public void Stop(TimeSpan grace, Action<string>? log)
    {
        var process = Process;
        try
        {
            if (!process.HasExited)
            {
                NativeMethods.Kill(process.Id, NativeMethods.SigTerm);
                if (!process.WaitForExit(grace))
                {
                    log?.Invoke($"podman system service (pid {process.Id}) ignored SIGTERM for {grace.TotalSeconds:0} s; killing it");
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(grace);
                }
            }
        }
        catch (InvalidOperationException)
        {
            // already reaped
        }
    }

    /// <summary>Lets the parent thread end: only once the service is gone, or PDEATHSIG kills it.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _releaseParentThread.Set();
            Process.Dispose();
        }
    }

    private static ProcessStartInfo CreateStartInfo(string podman, string socketPath)
    {
        var start = new ProcessStartInfo
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var command = new List<string>();
        if (File.Exists(SetprivPath))
        {
            command.AddRange([SetprivPath, "--pdeathsig", "KILL", "--"]);
        }

        // setsid(1) calls setsid(2) and execs: our child is no process group leader, so it does not fork.
        if (File.Exists(SetsidPath))
        {
            command.Add(SetsidPath);
        }

        command.AddRange([podman, "system", "service", "--time=0", $"unix://{socketPath}"]);
        start.FileName = command[0];
        command.Skip(1).ToList().ForEach(start.ArgumentList.Add);
        return start;
    }
}
