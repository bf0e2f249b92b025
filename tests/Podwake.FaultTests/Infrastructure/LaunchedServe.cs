using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.FaultTests.Infrastructure;

/// <summary>
/// <c>podwake serve</c> started through a wrapper the way users start it: under <c>script</c> (a real pty, so a ^C byte
/// makes the kernel send SIGINT to the foreground process group), under <c>timeout</c>, or in a session of its own
/// (<c>setsid</c>, so its process group can be signalled as a whole). Output (merged by the pty) is captured.
/// </summary>
internal sealed partial class LaunchedServe : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly TaskCompletionSource _serving = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LaunchedServe(Process process)
    {
        _process = process;
    }

    /// <summary>The PID of <c>podwake serve</c> itself (the wrapper's child, or the wrapper when it execs).</summary>
    public int ServePid { get; private set; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary><c>script -qfec "exec podwake serve FILE" /dev/null</c>: serve is the session leader of a new pty.</summary>
    public static LaunchedServe InPty(string file) =>
        Start("script", ["-qfec", $"exec {ServeProcess.PodwakePath} serve {file}", "/dev/null"]);

    /// <summary><c>timeout --preserve-status SECONDS podwake serve FILE</c>: timeout signals serve, then its whole group.</summary>
    public static LaunchedServe UnderTimeout(string file, int seconds) =>
        Start("timeout", ["--preserve-status", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture), ServeProcess.PodwakePath, "serve", file]);

    /// <summary><c>setsid podwake serve FILE</c>: serve leads its own session and process group (PGID = its PID).</summary>
    public static LaunchedServe InOwnGroup(string file) =>
        Start("setsid", [ServeProcess.PodwakePath, "serve", file]);

    /// <summary>Waits for the "serving" line and finds serve's PID; fails with the output when the wrapper exits instead.</summary>
    public async Task<int> WaitUntilServingAsync()
    {
        await _serving.Task.WaitAsync(TimeSpan.FromSeconds(90));
        Assert.False(_process.HasExited, $"serve exited before serving:\n{Output}");
        ServePid = ProcessTree.Comm(_process.Id) == "podwake"
            ? _process.Id
            : ProcessTree.Children(_process.Id).Single(c => ProcessTree.Comm(c) == "podwake");
        return ServePid;
    }

    /// <summary>Types into the pty (for <see cref="InPty"/>): "\x03" is ^C.</summary>
    public async Task TypeAsync(string text)
    {
        await _process.StandardInput.WriteAsync(text);
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Sends <paramref name="signal"/> to the process group <paramref name="pgid"/> (kill(-pgid)).</summary>
    public static void SignalGroup(int pgid, int signal) => Assert.Equal(0, Kill(-pgid, signal));

    /// <summary>The wrapper's exit code (script -e and timeout --preserve-status pass serve's on).</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            if (ServePid > 0)
            {
                _ = Kill(ServePid, Signals.Term);
            }

            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await _process.WaitForExitAsync(cts.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
            }
        }

        _process.Dispose();
    }

    private static LaunchedServe Start(string fileName, string[] arguments)
    {
        var start = new ProcessStartInfo(fileName, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        var process = new Process { StartInfo = start };
        var launched = new LaunchedServe(process);
        DataReceivedEventHandler collect = (_, e) =>
        {
            if (e.Data is null)
            {
                launched._serving.TrySetResult();
                return;
            }

            lock (launched._output)
            {
                launched._output.AppendLine(e.Data);
            }

            if (e.Data.Contains("podwake: serving", StringComparison.Ordinal))
            {
                launched._serving.TrySetResult();
            }
        };
        process.OutputDataReceived += collect;
        process.ErrorDataReceived += collect;
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return launched;
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
