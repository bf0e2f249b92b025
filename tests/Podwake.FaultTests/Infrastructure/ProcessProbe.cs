using System.Globalization;

namespace Podwake.FaultTests.Infrastructure;

/// <summary>Reads a process's open file descriptors and resident memory from /proc, and keeps the peaks while sampling.</summary>
internal sealed class ProcessProbe : IAsyncDisposable
{
    private readonly int _pid;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _sampling;
    private int _peakFds;
    private long _peakRssKiB;

    /// <summary>Starts sampling <paramref name="pid"/> every 100 ms until disposed.</summary>
    public ProcessProbe(int pid)
    {
        _pid = pid;
        _sampling = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Sample();
                await Task.Delay(100).ConfigureAwait(false);
            }
        });
    }

    public int PeakFds => Volatile.Read(ref _peakFds);

    public long PeakRssMiB => Interlocked.Read(ref _peakRssKiB) / 1024;

    public static int Fds(int pid)
    {
        try
        {
            return Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd").Count();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return 0;
        }
    }

    public static long RssKiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>Takes one sample now (also done every 100 ms).</summary>
    public void Sample()
    {
        var fds = Fds(_pid);
        var rss = RssKiB(_pid);
        lock (_stop)
        {
            _peakFds = Math.Max(_peakFds, fds);
            _peakRssKiB = Math.Max(_peakRssKiB, rss);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _sampling;
        _stop.Dispose();
    }
}
