namespace Podwake.Activation;

/// <summary>
/// At most one log line per <c>interval</c> for a repeated event; the next line carries how many were not logged in
/// between. Not thread-safe: the activator calls it under its lock.
/// </summary>
internal sealed class LogRateLimit
{
    private readonly TimeSpan _interval;
    private readonly TimeProvider _time;
    private long? _lastLogged;
    private long _suppressed;

    public LogRateLimit(TimeSpan interval, TimeProvider time)
    {
        _interval = interval;
        _time = time;
    }

    /// <summary>True when this occurrence may be logged; <paramref name="suppressed"/> counts those skipped since the last logged one.</summary>
    public bool TryLog(out long suppressed)
    {
        if (_lastLogged is { } last && _time.GetElapsedTime(last) < _interval)
        {
            _suppressed++;
            suppressed = 0;
            return false;
        }

        _lastLogged = _time.GetTimestamp();
        suppressed = _suppressed;
        _suppressed = 0;
        return true;
    }

    /// <summary>Starts over: the next occurrence is logged at once.</summary>
    public void Reset()
    {
        _lastLogged = null;
        _suppressed = 0;
    }
}
