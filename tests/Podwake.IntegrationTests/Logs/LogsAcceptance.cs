using System.Text.Json;
using System.Text.RegularExpressions;
using Podwake.IntegrationTests.Infrastructure;
using Xunit;

namespace Podwake.IntegrationTests.Logs;

/// <summary>
/// What the logs tests of both runtimes check: a service whose container prints <c>started UUID</c> at each start,
/// woken twice; <c>podwake logs</c> and <c>podwake events --json</c> as the user runs them.
/// </summary>
internal static partial class LogsAcceptance
{
    /// <summary>The container prints a line no other start prints, then serves the test page.</summary>
    public const string Command = "[/bin/busybox, sh, -c, 'echo started $(/bin/busybox cat /proc/sys/kernel/random/uuid); exec /bin/busybox httpd -f -p 8080 -h /www']";

    /// <summary>Starts <c>podwake events --json NAME</c> and waits until it watches (it reads the files every 250 ms).</summary>
    public static async Task<ServeProcess> StartEventsAsync(string name)
    {
        var events = ServeProcess.Start("events", "--json", name);
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(events.HasExited, $"podwake events exited at once:\n{events.Stdout}\n{events.Stderr}");
        return events;
    }

    /// <summary><c>podwake logs NAME</c> shows both starts' own lines and podwake's wake and ready lines of both wakes.</summary>
    public static async Task AssertLogsShowBothWakesAsync(string name)
    {
        var logs = await PodwakeCli.RunAsync("logs", name);
        Assert.True(logs.ExitCode == 0, $"podwake logs failed: {logs}");
        var lines = logs.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var starts = lines.Where(l => StartedLine().IsMatch(l) && l.Contains($" podwake-{name} started ", StringComparison.Ordinal))
            .Select(l => l[l.IndexOf(" started ", StringComparison.Ordinal)..]).ToList();
        Assert.True(starts.Count == 2 && starts.Distinct().Count() == 2, $"not two different container starts in podwake logs:\n{logs.Stdout}");
        Assert.Equal(2, lines.Count(l => l.Contains($" podwake {name}: waking", StringComparison.Ordinal)));
        Assert.Equal(2, lines.Count(l => Regex.IsMatch(l, $@" podwake {name}: ready in \d+ ms")));

        // In time order: each start before its ready line (deployed, the socket unit starts the container unit beside the
        // activator, so a start may come before podwake's "waking"), the second after the first wake's ready.
        var order = lines.Select(l => l.Contains(" started ", StringComparison.Ordinal) ? 's' : l.Contains(": ready in", StringComparison.Ordinal) ? 'r' : '.')
            .Where(c => c != '.');
        Assert.True(string.Concat(order) == "srsr", $"not start, ready twice in order:\n{logs.Stdout}");

        var json = await PodwakeCli.RunAsync("logs", "--json", name);
        Assert.True(json.ExitCode == 0, $"podwake logs --json failed: {json}");
        var sources = json.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("source").GetString()).ToHashSet();
        Assert.Equal(["podwake", $"podwake-{name}"], sources.Order(StringComparer.Ordinal));
    }

    /// <summary>The events of the watch: waking, ready, dormant for each wake, in that order; then it ends cleanly on SIGINT.</summary>
    public static async Task AssertEventsAsync(ServeProcess events, string name)
    {
        await Eventually.TrueAsync(
            () => Task.FromResult(Names(events.Stdout, name).Count(e => e == "dormant") >= 2),
            TimeSpan.FromSeconds(10),
            () => $"podwake events printed no two dormant events:\n{events.Stdout}\n{events.Stderr}");
        var names = Names(events.Stdout, name).Where(e => e is "waking" or "ready" or "dormant");
        Assert.Equal(["waking", "ready", "dormant", "waking", "ready", "dormant"], names);

        events.Signal(Signals.Int);
        Assert.Equal(0, await events.WaitForExitAsync(TimeSpan.FromSeconds(10)));
    }

    private static List<string> Names(string stdout, string name) =>
        [.. stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(l => JsonDocument.Parse(l).RootElement)
            .Where(e => e.GetProperty("service").GetString() == name)
            .Select(e => e.GetProperty("event").GetString()!)];

    [GeneratedRegex(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z ")]
    private static partial Regex StartedLine();
}
