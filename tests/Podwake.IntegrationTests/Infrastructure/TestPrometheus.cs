using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// A real Prometheus for one test: Debian's <c>prometheus</c> on a loopback port of its own, scraping the given
/// targets every second into its own temp folder; queried through its HTTP API (<c>/api/v1/query</c>). Disposing
/// kills it and deletes its data. Runs as whoever runs the tests.
/// </summary>
internal sealed class TestPrometheus : IAsyncDisposable
{
    public const string Program = "/usr/bin/prometheus";

    public const string Promtool = "/usr/bin/promtool";

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly TempDirectory _directory;
    private readonly Process _process;
    private readonly StringBuilder _output;
    private readonly string _address;

    private TestPrometheus(TempDirectory directory, Process process, StringBuilder output, string address)
    {
        _directory = directory;
        _process = process;
        _output = output;
        _address = address;
    }

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

    /// <summary>Starts it scraping <paramref name="targets"/> (host:port, path /metrics) every second; returns once it answers.</summary>
    public static async Task<TestPrometheus> StartAsync(params string[] targets)
    {
        Assert.True(File.Exists(Program), $"{Program} is missing: install Debian's prometheus package (scripts/setup-dev does)");
        var directory = new TempDirectory();
        var config = directory.Write("prometheus.yml", $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
            scrape_configs:
              - job_name: podwake
                static_configs:
                  - targets: [{string.Join(", ", targets.Select(t => $"'{t}'"))}]
            """);
        var port = FreePorts.Next();
        var address = $"127.0.0.1:{port}";
        var start = new ProcessStartInfo(Program,
            [$"--config.file={config}", $"--storage.tsdb.path={directory.CreateDirectory("data")}", $"--web.listen-address={address}", "--log.level=warn"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var output = new StringBuilder();
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, e) => Append(output, e.Data);
        process.ErrorDataReceived += (_, e) => Append(output, e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var prometheus = new TestPrometheus(directory, process, output, address);
        try
        {
            await Eventually.TrueAsync(async () =>
            {
                Assert.False(process.HasExited, $"prometheus exited: {prometheus.Output}");
                try
                {
                    return (await Http.GetAsync($"http://{address}/-/ready")).IsSuccessStatusCode;
                }
                catch (HttpRequestException)
                {
                    return false;
                }
            }, TimeSpan.FromSeconds(60), () => $"prometheus did not get ready: {prometheus.Output}");
            return prometheus;
        }
        catch
        {
            await prometheus.DisposeAsync();
            throw;
        }
    }

    /// <summary>The value of an instant query with one result; null when it has none (yet).</summary>
    public async Task<double?> QueryAsync(string promql)
    {
        var json = await Http.GetStringAsync($"http://{_address}/api/v1/query?query={Uri.EscapeDataString(promql)}");
        using var document = JsonDocument.Parse(json);
        var result = document.RootElement.GetProperty("data").GetProperty("result");
        Assert.True(result.GetArrayLength() <= 1, $"{promql}: more than one series: {json}");
        return result.GetArrayLength() == 0
            ? null
            : double.Parse(result[0].GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);
    }

    /// <summary>Waits until <paramref name="promql"/> equals <paramref name="expected"/> (a scrape or two after the change).</summary>
    public async Task WaitForAsync(string promql, double expected, TimeSpan? limit = null)
    {
        double? last = null;
        await Eventually.TrueAsync(async () => (last = await QueryAsync(promql)) == expected, limit ?? TimeSpan.FromSeconds(30),
            () => $"{promql} = {last?.ToString(CultureInfo.InvariantCulture) ?? "no series"}, expected {expected}; targets: {TargetsAsync().GetAwaiter().GetResult()}");
    }

    /// <summary>Prometheus's view of its targets (health, last error), for failure messages.</summary>
    public async Task<string> TargetsAsync()
    {
        try
        {
            return await Http.GetStringAsync($"http://{_address}/api/v1/targets");
        }
        catch (HttpRequestException ex)
        {
            return ex.Message;
        }
    }

    /// <summary><c>promtool check metrics</c> of an exposition: (exit code, what it said).</summary>
    public static async Task<(int ExitCode, string Output)> CheckMetricsAsync(string exposition)
    {
        var start = new ProcessStartInfo(Promtool, ["check", "metrics"])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        await process.StandardInput.WriteAsync(exposition);
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, await stdout + await stderr);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        _directory.Dispose();
    }

    private static void Append(StringBuilder output, string? line)
    {
        if (line is not null)
        {
            lock (output)
            {
                output.AppendLine(line);
            }
        }
    }
}
