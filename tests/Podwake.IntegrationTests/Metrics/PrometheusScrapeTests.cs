using System.Globalization;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Podwake.IntegrationTests.Metrics;

/// <summary>
/// A real Prometheus (Debian's) scrapes podwake every second, in both runtimes: <c>serve --metrics</c>, and the
/// socket-activated metrics unit of <c>deploy --metrics</c>. After three wakes it counts three, with three observations
/// of every wake phase whose sums add up to the wakes' whole time to first byte; <c>promtool check metrics</c> accepts
/// the exposition; in systemd mode no podwake process runs between scrapes.
/// </summary>
[Collection(PodmanCollection.Name)]
public sealed class PrometheusScrapeTests
{
    private static readonly string[] Phases = ["start_requested", "running", "ready", "first_byte"];

    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    private readonly ITestOutputHelper _output;

    public PrometheusScrapeTests(ITestOutputHelper output) => _output = output;

    [PodmanFact]
    public async Task Serve_ThreeWakes_PrometheusCountsThreeWakesAndEveryPhase()
    {
        using var directory = new TempDirectory();
        await TestImages.BusyboxAsync();
        var service = TestServiceFile.Create(directory.Path, idle: "1s");
        var metrics = $"127.0.0.1:{FreePorts.Next()}";
        await using var serve = ServeProcess.Start("serve", service.File, "--metrics", metrics);
        await serve.WaitUntilServingAsync();
        Assert.Contains($"podwake: metrics at http://{metrics}/metrics", serve.Stdout, StringComparison.Ordinal);
        await using var prometheus = await TestPrometheus.StartAsync(metrics);

        for (var wake = 0; wake < 3; wake++)
        {
            Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
            await Eventually.TrueAsync(async () => (await serve.ServiceStatusAsync(service.Name)).GetProperty("state").GetString() == "dormant", TimeSpan.FromSeconds(30));
        }

        await AssertThreeWakesAsync(prometheus, service.Name);
        await AssertPromtoolAcceptsAsync(metrics);
    }

    [UserManagerFact]
    public async Task Deployed_ThreeWakes_PrometheusCountsThemAcrossActivators_NoPodwakeProcessBetweenScrapes()
    {
        await using var service = new DeployedService();
        service.Write(idle: "1s");
        var metrics = $"127.0.0.1:{FreePorts.Next()}";
        if (service.User is null)
        {
            await TestImages.BusyboxAsync();
        }

        var deploy = await PodwakeCli.RunAsync("deploy", service.File, "--metrics", metrics);
        Assert.True(deploy.ExitCode == 0, deploy.ToString());
        Assert.Contains($"podwake-metrics.socket: Prometheus metrics at http://{metrics}/metrics", deploy.Stdout, StringComparison.Ordinal);
        try
        {
            await using var prometheus = await TestPrometheus.StartAsync(metrics);

            // Each wake is another activator: the one before exited when the service went idle.
            for (var wake = 0; wake < 3; wake++)
            {
                Assert.Equal(200, (await RawHttp.GetAsync(service.Endpoint)).Status);
                Assert.True(await service.WaitUntilDormantAsync(TimeSpan.FromSeconds(30)), string.Join("; ", service.ServiceProcesses()));
            }

            await AssertThreeWakesAsync(prometheus, service.Name);
            await AssertNoPodwakeBetweenScrapesAsync(service);
            await AssertPromtoolAcceptsAsync(metrics);
        }
        finally
        {
            await DeployedService.SystemctlAsync("disable", "--now", "podwake-metrics.socket");
        }
    }

    private async Task AssertThreeWakesAsync(TestPrometheus prometheus, string name)
    {
        var service = $"service=\"{name}\"";
        await prometheus.WaitForAsync($"podwake_wakes_total{{{service}}}", 3);
        await prometheus.WaitForAsync($"podwake_wake_to_first_byte_seconds_count{{{service}}}", 3);
        foreach (var phase in Phases)
        {
            Assert.Equal(3, await prometheus.QueryAsync($"podwake_wake_duration_seconds_count{{{service},phase=\"{phase}\"}}"));
        }

        var phaseSums = Phases.ToDictionary(p => p, p => prometheus.QueryAsync($"podwake_wake_duration_seconds_sum{{{service},phase=\"{p}\"}}").GetAwaiter().GetResult() ?? 0);
        var total = await prometheus.QueryAsync($"podwake_wake_to_first_byte_seconds_sum{{{service}}}") ?? 0;
        var sum = phaseSums.Values.Sum();
        _output.WriteLine($"phases: {string.Join(", ", phaseSums.Select(p => $"{p.Key} {p.Value * 1000 / 3:F1} ms"))}; sum {sum * 1000 / 3:F1} ms per wake, total {total * 1000 / 3:F1} ms");
        Assert.True(total > 0, "no wake time");
        Assert.True(Math.Abs(sum - total) <= 0.05 * total, $"phase sums {sum.ToString(CultureInfo.InvariantCulture)} s against the total {total.ToString(CultureInfo.InvariantCulture)} s");
        // The last scrape may still be from before the idle stop.
        await prometheus.WaitForAsync($"podwake_service_state{{{service},state=\"dormant\"}}", 1);
        await prometheus.WaitForAsync($"podwake_idle_stops_total{{{service}}}", 3);
    }

    /// <summary>
    /// Samples this user's processes every 10 ms for 3 s (three scrapes): the service stays dormant (no activator, no
    /// container), and a <c>podwake metrics</c> is only ever the short one of a scrape: it has exited before the next.
    /// </summary>
    private static async Task AssertNoPodwakeBetweenScrapesAsync(DeployedService service)
    {
        var seen = new Dictionary<string, (DateTime First, DateTime Last)>();
        var samples = 0;
        var quiet = 0;
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(3);
        while (DateTime.UtcNow < deadline)
        {
            samples++;
            Assert.Empty(service.ServiceProcesses());
            var running = MetricsProcesses();
            if (running.Count == 0)
            {
                quiet++;
            }

            var now = DateTime.UtcNow;
            foreach (var pid in running)
            {
                seen[pid] = seen.TryGetValue(pid, out var span) ? (span.First, now) : (now, now);
            }

            await Task.Delay(10);
        }

        Assert.All(seen, process => Assert.True(process.Value.Last - process.Value.First < TimeSpan.FromSeconds(1),
            $"podwake metrics {process.Key} ran for {(process.Value.Last - process.Value.First).TotalMilliseconds:F0} ms"));
        // Each scrape's process ends before the next scrape (every second), so some samples find none at all. (How many
        // depends on the build the tests run: a JIT-compiled podwake takes a few hundred ms to start, an AOT one a few.)
        Assert.True(seen.Count >= 2, $"no scrape seen in 3 s: {seen.Count} podwake metrics processes");
        Assert.True(quiet > 0, $"a podwake metrics process ran in every one of {samples} samples");
    }

    /// <summary>The <c>podwake metrics</c> processes running now (by PID).</summary>
    private static List<string> MetricsProcesses()
    {
        var found = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc").Where(d => char.IsDigit(Path.GetFileName(d)[0])))
        {
            try
            {
                var words = File.ReadAllText(Path.Combine(directory, "cmdline")).Split('\0');
                if (words.Length > 1 && Path.GetFileName(words[0]) == "podwake" && words[1] == "metrics")
                {
                    found.Add(Path.GetFileName(directory));
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    private static async Task AssertPromtoolAcceptsAsync(string metrics)
    {
        var exposition = await Http.GetStringAsync($"http://{metrics}/metrics");
        var (exitCode, said) = await TestPrometheus.CheckMetricsAsync(exposition);
        Assert.True(exitCode == 0, $"promtool check metrics: {said}\n{exposition}");
    }
}
