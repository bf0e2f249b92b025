namespace Podwake.Logs;

/// <summary>
/// <c>podwake logs -f</c>: asks podman every <see cref="Interval"/> for each container's lines since the last one it
/// printed (podman's own <c>-f</c> ends when the container stops, which a dormant service does at every idle stop)
/// and reads podwake's new lines; prints them merged by time. Lines already printed are left out by their time and text.
/// </summary>
internal sealed class LogFollower(ServiceLogSource source, LogFileFollower podwake, DateTimeOffset since, TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly Dictionary<string, (DateTime Time, HashSet<string> Texts)> _last = new(StringComparer.Ordinal);

    /// <summary>Records what the history printed, so that following starts after it.</summary>
    public void Printed(IEnumerable<LogLine> lines)
    {
        foreach (var line in lines.Where(l => l.Source != LogLine.PodwakeSource))
        {
            Seen(line);
        }
    }

    /// <summary>Follows until <paramref name="cancellationToken"/> is cancelled; each batch goes to <paramref name="print"/>.</summary>
    public async Task RunAsync(Action<IReadOnlyList<LogLine>> print, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(Interval, time, cancellationToken).ConfigureAwait(false);
            var batch = new List<LogLine>();
            foreach (var container in await source.ContainersAsync(cancellationToken).ConfigureAwait(false))
            {
                var from = _last.TryGetValue(container, out var last) ? new DateTimeOffset(last.Time, TimeSpan.Zero) : since;
                batch.AddRange((await source.ContainerLinesAsync(container, from, cancellationToken).ConfigureAwait(false)).Where(IsNew));
            }

            var fresh = LogText.Merge(batch, podwake.ReadNew().Select(LogText.FromRecord)).ToList();
            foreach (var line in batch)
            {
                Seen(line);
            }

            if (fresh.Count > 0)
            {
                print(fresh);
            }
        }
    }

    /// <summary>Not printed yet: later than the container's last printed line, or as late with another text.</summary>
    internal bool IsNew(LogLine line) =>
        !_last.TryGetValue(line.Source, out var last) || line.Time > last.Time || (line.Time == last.Time && !last.Texts.Contains(line.Message));

    internal void Seen(LogLine line)
    {
        if (!_last.TryGetValue(line.Source, out var last) || line.Time > last.Time)
        {
            _last[line.Source] = (line.Time, new HashSet<string>(StringComparer.Ordinal) { line.Message });
        }
        else if (line.Time == last.Time)
        {
            last.Texts.Add(line.Message);
        }
    }
}
