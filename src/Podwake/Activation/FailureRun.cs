using Microsoft.Extensions.Logging;

namespace Podwake.Activation;

/// <summary>
/// Failed wakes in a row: their count, the backoff before the next connection may wake the service again
/// (<see cref="RestartBackoff"/>, 100 ms doubling to 30 s), and their log lines: the first failure, then at most one
/// "still failing" line per <see cref="ActivationOptions.FailureLogInterval"/>, then one "recovered" line.
/// Not thread-safe: the activator calls it under its lock.
/// </summary>
internal sealed class FailureRun
{
    private readonly string _service;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly LogRateLimit _log;
    private long _startedAt;
    private DateTimeOffset? _retryAt;

    public FailureRun(string service, TimeSpan logInterval, TimeProvider time, ILogger logger)
    {
        _service = service;
        _time = time;
        _logger = logger;
        _log = new LogRateLimit(logInterval, time);
    }

    public int InARow { get; private set; }

    /// <summary>True while a failed service closes new connections at once instead of waking again.</summary>
    public bool IsBackingOff => _retryAt is { } retryAt && _time.GetUtcNow() < retryAt;

    /// <summary>Counts one more failure (then <see cref="BackOff"/> if the service gives up, then <see cref="Log"/>).</summary>
    public void Count()
    {
        if (InARow++ == 0)
        {
            _startedAt = _time.GetTimestamp();
            _log.Reset();
        }
    }

    /// <summary>Logs the failure just counted; <paramref name="what"/> says what happens now.</summary>
    public void Log(string reason, string what)
    {
        if (InARow == 1)
        {
            _log.TryLog(out _);
            ActivationLog.WakeFailed(_logger, _service, reason, what);
        }
        else if (_log.TryLog(out var suppressed))
        {
            ActivationLog.StillFailing(_logger, _service, InARow, _time.GetElapsedTime(_startedAt).TotalSeconds, suppressed, reason, what);
        }
        else
        {
            ActivationLog.FailedAgain(_logger, _service, InARow, reason);
        }
    }

    /// <summary>The service gave up for now: the next connection after the returned wait tries again.</summary>
    public TimeSpan BackOff()
    {
        var wait = RestartBackoff.After(InARow);
        _retryAt = _time.GetUtcNow() + wait;
        return wait;
    }

    /// <summary>A wake begins: no backoff applies to it.</summary>
    public void ClearBackoff() => _retryAt = null;

    /// <summary>A wake succeeded: logs "recovered" after a failure run, and starts over.</summary>
    public void Recovered()
    {
        if (InARow > 0)
        {
            ActivationLog.Recovered(_logger, _service, InARow, _time.GetElapsedTime(_startedAt).TotalSeconds);
        }

        InARow = 0;
    }
}
