using Podwake.Host;

namespace Podwake.Logs;

/// <summary>
/// <c>podwake events</c>: follows every service's log file (or the named ones') from its current end, and files that
/// appear while watching from their start (a service served or deployed meanwhile), and passes on the lines that are
/// state changes (<see cref="ServiceEvents"/>).
/// </summary>
internal sealed class EventWatcher(RuntimePaths paths, IReadOnlyCollection<string> names, TimeProvider time) : IDisposable
{
    /// <summary>How often the files are read: events come at most this late.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(250);

    private readonly Dictionary<string, LogFileFollower> _followers = new(StringComparer.Ordinal);

    /// <summary>Takes the files there now, at their end: what happened before is not an event of this watch.</summary>
    public void Start()
    {
        foreach (var service in Services())
        {
            _followers[service] = LogFileFollower.AtEnd(paths.LogFile(service));
        }
    }

    /// <summary>The events written since the last call, in time order.</summary>
    public IReadOnlyList<ServiceEvent> ReadNew()
    {
        foreach (var service in Services().Where(s => !_followers.ContainsKey(s)))
        {
            _followers[service] = new LogFileFollower(paths.LogFile(service));
        }

        return [.. _followers.Values.SelectMany(f => f.ReadNew()).Select(ServiceEvents.From).OfType<ServiceEvent>().OrderBy(e => e.Time)];
    }

    /// <summary>Prints each event as it comes until <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task RunAsync(Action<ServiceEvent> print, CancellationToken cancellationToken)
    {
        Start();
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(Interval, time, cancellationToken).ConfigureAwait(false);
            foreach (var e in ReadNew())
            {
                print(e);
            }
        }
    }

    public void Dispose()
    {
        foreach (var follower in _followers.Values)
        {
            follower.Dispose();
        }
    }

    private IEnumerable<string> Services()
    {
        if (!Directory.Exists(paths.LogDirectory))
        {
            return [];
        }

        var all = Directory.EnumerateFiles(paths.LogDirectory, "*.jsonl").Select(Path.GetFileNameWithoutExtension).OfType<string>();
        return names.Count == 0 ? all : all.Where(names.Contains);
    }
}
