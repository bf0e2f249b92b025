using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// A real <c>podwake serve</c> child process (the apphost built beside the tests), with its output
/// captured and a way to send it signals.
/// </summary>
internal sealed partial class ServeProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stdout = new();
    private readonly StringBuilder _stderr = new();
    private readonly TaskCompletionSource _serving = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private ServeProcess(Process process)
    {
        _process = process;
    }

    public static string PodwakePath => Path.Combine(AppContext.BaseDirectory, "podwake");

    public int Pid => _process.Id;

    public string Stdout
    {
        get
        {
            lock (_stdout)
            {
                return _stdout.ToString();
            }
        }
    }

    public string Stderr
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static ServeProcess Start(params string[] arguments) => Start(new Dictionary<string, string>(), arguments);

    /// <summary>Starts podwake with <paramref name="environment"/> added to the tests' own (e.g. <c>REGISTRY_AUTH_FILE</c>).</summary>
    public static ServeProcess Start(IReadOnlyDictionary<string, string> environment, params string[] arguments)
    {
        var start = new ProcessStartInfo(PodwakePath, arguments)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var serve = new ServeProcess(process);
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                serve._serving.TrySetResult();
                return;
            }

            lock (serve._stdout)
            {
                serve._stdout.AppendLine(e.Data);
            }

            if (e.Data.StartsWith("podwake: serving", StringComparison.Ordinal))
            {
                serve._serving.TrySetResult();
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                lock (serve._stderr)
                {
                    serve._stderr.AppendLine(e.Data);
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return serve;
    }

    /// <summary>Waits for the "serving" line; fails the test with podwake's output when it exits instead.</summary>
    /// <summary>Starts <c>podwake serve FILES...</c> and waits until it serves; disposes it when it does not.</summary>
    public static Task<ServeProcess> StartServingAsync(params string[] files) => StartServingAsync(new Dictionary<string, string>(), files);

    public static async Task<ServeProcess> StartServingAsync(IReadOnlyDictionary<string, string> environment, params string[] files)
    {
        var serve = Start(environment, ["serve", .. files]);
        try
        {
            await serve.WaitUntilServingAsync();
            return serve;
        }
        catch
        {
            await serve.DisposeAsync();
            throw;
        }
    }

    /// <summary>The status of service <paramref name="name"/> of this serve, from <c>podwake status --json</c>.</summary>
    public async Task<JsonElement> ServiceStatusAsync(string name)
    {
        using var document = JsonDocument.Parse(await StatusJsonAsync());
        return document.RootElement.EnumerateArray()
            .Where(d => d.GetProperty("pid").ValueKind == JsonValueKind.Number && d.GetProperty("pid").GetInt32() == Pid)
            .SelectMany(d => d.GetProperty("services").EnumerateArray())
            .Single(s => s.GetProperty("name").GetString() == name)
            .Clone();
    }

    public async Task WaitUntilServingAsync(TimeSpan? timeout = null)
    {
        await _serving.Task.WaitAsync(timeout ?? TimeSpan.FromSeconds(90));
        Assert.False(_process.HasExited, $"podwake serve exited with {(_process.HasExited ? _process.ExitCode : 0)}:\n{Stdout}\n{Stderr}");
    }

    public void Signal(int signal) => Assert.Equal(0, Kill(_process.Id, signal));

    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        await _process.WaitForExitAsync(cts.Token);
        return _process.ExitCode;
    }

    public async Task<string> StatusJsonAsync()
    {
        var start = new ProcessStartInfo(PodwakePath, ["status", "--json"]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using var status = Process.Start(start)!;
        var output = await status.StandardOutput.ReadToEndAsync();
        await status.WaitForExitAsync();
        Assert.True(status.ExitCode == 0, $"podwake status failed: {await status.StandardError.ReadToEndAsync()}");
        return output;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill(_process.Id, Signals.Term);
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

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
