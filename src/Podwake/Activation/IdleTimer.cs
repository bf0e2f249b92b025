namespace Podwake.Activation;

/// <summary>
/// The idle stop of a ready service, as systemd-socket-proxyd's <c>--exit-idle-time</c>: armed when the last lease is
/// released, disarmed by the next acquire, and re-checked when it fires (a timer can fire a little early, or after a
/// re-arm raced it). Not thread-safe: the activator calls it under its lock; <c>fired</c> takes that lock itself.
/// </summary>
internal sealed class IdleTimer : IAsyncDisposable
{
    private readonly TimeProvider _time;
    private readonly ITimer _timer;
    private DateTimeOffset? _dueAt;

    /// <param name="idle">How long a service stays up with nothing open; null = never stops when idle.</param>
    /// <param name="fired">Called on a timer thread when the deadline may have come; it calls <see cref="IsDue"/>.</param>
    public IdleTimer(TimeSpan? idle, TimeProvider time, Action fired)
    {
        Idle = idle;
        _time = time;
        _timer = time.CreateTimer(static state => ((Action)state!)(), fired, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public TimeSpan? Idle { get; }

    /// <summary>Seconds until the idle stop; null while not armed.</summary>
    public double? RemainingSeconds => _dueAt is { } due ? Math.Max(0, (due - _time.GetUtcNow()).TotalSeconds) : null;

    public void Arm()
    {
        if (Idle is { } idle)
        {
            _dueAt = _time.GetUtcNow() + idle;
            _timer.Change(idle, Timeout.InfiniteTimeSpan);
        }
    }

    public void Disarm()
    {
        if (_dueAt is not null)
        {
            _dueAt = null;
            _timer.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
        }
    }

    /// <summary>True (and disarmed) when the deadline has come; fired early, it re-arms for the rest and says false.</summary>
    public bool IsDue()
    {
        if (_dueAt is not { } due)
        {
            return false;
        }

        var remaining = due - _time.GetUtcNow();
        if (remaining > TimeSpan.Zero)
        {
            _timer.Change(remaining, Timeout.InfiniteTimeSpan);
            return false;
        }

        _dueAt = null;
        return true;
    }

    public ValueTask DisposeAsync() => _timer.DisposeAsync();
}
