using System.Diagnostics;
using System.Net;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// A client that sends one GET after another (about 40 a second) until stopped and checks every response: a 200 whose
/// page names one of the versions it knows, in the order they came; anything else (refused, reset, closed without an
/// answer, another status or page) is a failure, kept with its time for the message.
/// </summary>
internal sealed class VersionLoop : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly List<string> _versions = [];
    private readonly List<string> _failures = [];
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Task _loop;
    private TimeSpan _longest;

    public VersionLoop(IPEndPoint endpoint, params string[] versions)
    {
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                var started = _clock.Elapsed;
                var outcome = await RawHttp.GetAsync(endpoint, timeout: TimeSpan.FromSeconds(60));
                var took = _clock.Elapsed - started;
                var version = outcome.Status == 200 ? versions.FirstOrDefault(v => outcome.Body.Contains(v, StringComparison.Ordinal)) : null;
                lock (_versions)
                {
                    _longest = took > _longest ? took : _longest;
                    if (version is null)
                    {
                        _failures.Add($"{started.TotalSeconds:F2}s: {outcome.Kind} {outcome.Status} {outcome.Body.Trim()}");
                    }
                    else
                    {
                        _versions.Add(version);
                    }
                }

                await Task.Delay(25);
            }
        });
    }

    /// <summary>The versions answered, in order.</summary>
    public IReadOnlyList<string> Versions
    {
        get
        {
            lock (_versions)
            {
                return [.. _versions];
            }
        }
    }

    public IReadOnlyList<string> Failures
    {
        get
        {
            lock (_versions)
            {
                return [.. _failures];
            }
        }
    }

    /// <summary>Requests a second over the loop's life.</summary>
    public double Rate => (Versions.Count + Failures.Count) / _clock.Elapsed.TotalSeconds;

    public TimeSpan Longest
    {
        get
        {
            lock (_versions)
            {
                return _longest;
            }
        }
    }

    public override string ToString() =>
        $"{Versions.Count} answered ({string.Join(", ", Versions.GroupBy(v => v).Select(g => $"{g.Key}: {g.Count()}"))}), {Failures.Count} failed, "
        + $"{Rate:F0}/s, longest {Longest.TotalMilliseconds:F0} ms; failures: {string.Join("; ", Failures.Take(5))}";

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop;
        _clock.Stop();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }
}
