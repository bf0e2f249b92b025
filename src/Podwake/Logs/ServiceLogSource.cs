using Podwake.Host;
using Podwake.Podman;

namespace Podwake.Logs;

/// <summary>
/// Where <c>podwake logs NAME</c> reads from: the output of the service's container (<c>podwake-NAME</c>) or of its
/// pod's containers, which podman keeps across stops and starts (every wake starts the same container), and podwake's
/// own lines in <c>log/NAME.jsonl</c> (and the <c>.1</c> before it).
/// </summary>
internal sealed class ServiceLogSource(RuntimePaths paths, string service)
{
    private string Name => $"podwake-{service}";

    /// <summary>The containers whose output is the service's; empty when podman has none (serve removed them on exit).</summary>
    public async Task<IReadOnlyList<string>> ContainersAsync(CancellationToken cancellationToken)
    {
        if ((await PodmanBinary.RunAsync(["pod", "exists", Name], cancellationToken).ConfigureAwait(false)).Succeeded)
        {
            var inspect = await PodmanBinary.RunAsync(["pod", "inspect", "--format", "{{range .Containers}}{{.Name}}\n{{end}}", Name], cancellationToken).ConfigureAwait(false);
            // The infra container holds the pod's namespaces and prints nothing.
            return inspect.Succeeded
                ? [.. inspect.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(c => !c.EndsWith("-infra", StringComparison.Ordinal)).Order(StringComparer.Ordinal)]
                : [];
        }

        return (await PodmanBinary.RunAsync(["container", "exists", Name], cancellationToken).ConfigureAwait(false)).Succeeded ? [Name] : [];
    }

    /// <summary>Whether there is anything to show: a log file of podwake's, or a container of the service.</summary>
    public async Task<bool> ExistsAsync(CancellationToken cancellationToken) =>
        NativeFiles.Stat(paths.LogFile(service)) is not null || NativeFiles.Stat(paths.OldLogFile(service)) is not null
        || (await ContainersAsync(cancellationToken).ConfigureAwait(false)).Count > 0;

    /// <summary>A container's output since <paramref name="since"/> (all when null), both streams, in time order.</summary>
    public async Task<IReadOnlyList<LogLine>> ContainerLinesAsync(string container, DateTimeOffset? since, CancellationToken cancellationToken)
    {
        List<string> arguments = ["logs", "-t"];
        if (since is { } from)
        {
            arguments.AddRange(["--since", from.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", System.Globalization.CultureInfo.InvariantCulture)]);
        }

        arguments.Add(container);
        var result = await PodmanBinary.RunAsync(arguments, cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            // Removed between listing and reading (serve's exit, an update's swap): nothing to show of it.
            return [];
        }

        // podman writes the container's stdout to its stdout and stderr to its stderr, each with its times.
        return [.. Lines(result.Stdout, container).Concat(Lines(result.Stderr, container)).OrderBy(l => l.Time)];
    }

    /// <summary>podwake's lines about the service since <paramref name="since"/>, and a follower at the end of its file.</summary>
    public (IReadOnlyList<LogLine> Lines, LogFileFollower Follower) PodwakeLines(DateTimeOffset? since)
    {
        using var old = new LogFileFollower(paths.OldLogFile(service));
        var current = new LogFileFollower(paths.LogFile(service));
        var records = old.ReadNew().Concat(current.ReadNew());
        return ([.. records.Where(r => since is null || r.Time >= since.Value.UtcDateTime).Select(LogText.FromRecord)], current);
    }

    private IEnumerable<LogLine> Lines(string text, string container) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => ContainerLogLine.Parse(line, container, service))
            .OfType<LogLine>();
}
