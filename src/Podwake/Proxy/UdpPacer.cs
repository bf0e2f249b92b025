namespace Podwake.Proxy;

/// <summary>
/// The rate at which one udp listener sends to its containers where a burst would be lost: every buffered datagram
/// released by a wake, and every datagram to a container behind rootless podman's forwarder, which drops the same
/// burst when a backlog in the listen socket (systemd holding it while the activator starts) is drained at full speed.
/// </summary>
internal sealed class UdpPacer
{
    /// <summary>
    /// Datagrams are released at most this many per <see cref="Window"/> (16k/s) across the listener's flows. Unpaced, a
    /// wake handed a 1000-datagram burst to the container in about a millisecond, and rootless podman's port forwarder
    /// (rootlessport: one socket with the default 208 KiB buffer) lost 40 % of it, as it does with the same burst sent
    /// to it directly; at this rate it lost none. A wake with fewer buffered datagrams than this is not delayed at all.
    /// </summary>
    internal const int PerWindow = 16;

    internal static readonly TimeSpan Window = TimeSpan.FromMilliseconds(1);

    private readonly TimeProvider _time;
    private readonly Lock _lock = new();
    private long _windowStart;
    private int _inWindow;

    public UdpPacer(TimeProvider time) => _time = time;

    /// <summary>Waits until one more datagram may be sent.</summary>
    public async ValueTask PaceAsync()
    {
        while (true)
        {
            TimeSpan wait;
            lock (_lock)
            {
                var now = _time.GetTimestamp();
                var elapsed = _time.GetElapsedTime(_windowStart, now);
                if (elapsed >= Window)
                {
                    _windowStart = now;
                    _inWindow = 0;
                    elapsed = TimeSpan.Zero;
                }

                if (_inWindow < PerWindow)
                {
                    _inWindow++;
                    return;
                }

                wait = Window - elapsed;
            }

            await Task.Delay(wait, _time).ConfigureAwait(false);
        }
    }
}
