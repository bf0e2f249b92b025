using Podwake.Specs;

namespace Podwake.Activation;

/// <summary>The parts of a service spec that drive its activation.</summary>
internal sealed record ActivationOptions
{
    /// <summary>Quiet time before stopping; null = never stop once woken.</summary>
    public TimeSpan? Idle { get; init; } = ServiceSpec.DefaultIdle;

    public TimeSpan ReadyTimeout { get; init; } = ReadySpec.DefaultTimeout;

    public int Hold { get; init; } = ServiceSpec.DefaultHold;

    public RestartPolicy Restart { get; init; } = RestartPolicy.OnFailure;

    /// <summary>Most datagrams buffered across the service's udp ports while dormant or waking.</summary>
    public int HoldDatagrams { get; init; } = UdpSpec.DefaultHoldDatagrams;

    /// <summary>Most payload bytes buffered across the service's udp ports while dormant or waking.</summary>
    public long HoldBytes { get; init; } = UdpSpec.DefaultHoldBytes;

    /// <summary>
    /// First pause between readiness probes; it doubles up to <see cref="MaxProbeInterval"/>.
    /// A refused connect costs microseconds, so polling fast keeps wake-to-first-byte near the
    /// container's own start-to-listen time.
    /// </summary>
    public TimeSpan FirstProbeInterval { get; init; } = TimeSpan.FromMilliseconds(2);

    public TimeSpan MaxProbeInterval { get; init; } = TimeSpan.FromMilliseconds(25);

    /// <summary>
    /// Attempts one wake makes while the restart policy allows another (a failed start, an exit during start), backing
    /// off between them (<see cref="RestartBackoff"/>), before the service is failed: held connections then get a clean
    /// close, and until the backoff of the whole failure run has passed new ones are closed at once without a wake.
    /// </summary>
    public int MaxRestartFailures { get; init; } = 3;

    /// <summary>Within a run of failed wakes, at most one "still failing" log line per this long (the first failure is always logged).</summary>
    public TimeSpan FailureLogInterval { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>At most one "connections past hold closed" log line per this long, counting the ones in between.</summary>
    public TimeSpan RejectedLogInterval { get; init; } = TimeSpan.FromSeconds(1);

    public static ActivationOptions From(ServiceSpec spec) => new()
    {
        Idle = spec.Idle,
        ReadyTimeout = spec.Ready.Timeout,
        Hold = spec.Hold,
        Restart = spec.Restart,
        HoldDatagrams = spec.Udp.HoldDatagrams,
        HoldBytes = spec.Udp.HoldBytes,
    };
}
