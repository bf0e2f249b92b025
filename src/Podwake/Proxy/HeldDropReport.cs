using System.Net;

namespace Podwake.Proxy;

/// <summary>
/// Counts the buffered datagrams that flows ending before they were ready drop, for one reason, so the listener logs
/// them at most once a second with the counts: logged per flow, 60,000 loopback sources during a 4 s wake wrote 66,663
/// lines (about 10 MB of log in 3 s). The first drop of a quiet period is logged at once.
/// </summary>
internal sealed class HeldDropReport
{
    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private long _datagrams;
    private long _flows;
    private EndPoint? _latest;
    private long _reportedAt;

    public HeldDropReport(TimeProvider time)
    {
        _time = time;
        _reportedAt = time.GetTimestamp() - time.TimestampFrequency;
    }

    /// <summary>Counts one flow's drop; returns the counts to log now (including this one), or null to log them later.</summary>
    public HeldDropSummary? Add(int datagrams, EndPoint client)
    {
        lock (_lock)
        {
            _datagrams += datagrams;
            _flows++;
            _latest = client;
            return TakeIfDue();
        }
    }

    /// <summary>The counts not yet logged, once a second has passed since the last line (or now, <paramref name="final"/>); else null.</summary>
    public HeldDropSummary? Flush(bool final)
    {
        lock (_lock)
        {
            return TakeIfDue(final);
        }
    }

    private HeldDropSummary? TakeIfDue(bool final = false)
    {
        if (_flows == 0 || (!final && _time.GetElapsedTime(_reportedAt) < TimeSpan.FromSeconds(1)))
        {
            return null;
        }

        var summary = new HeldDropSummary(_datagrams, _flows, _latest!);
        _datagrams = 0;
        _flows = 0;
        _latest = null;
        _reportedAt = _time.GetTimestamp();
        return summary;
    }
}
