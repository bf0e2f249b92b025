namespace Podwake.Activation;

/// <summary>
/// A ready run as the activator holds it: the workload's run, the workload that started it (after an update the
/// service's workload is another one, while the old run drains), the token its leases watch, when it got ready, and
/// how many leases it has. Mutable fields are touched under the activator's lock only.
/// </summary>
internal sealed class ActiveRun(WorkloadRun workload, IWorkload owner, long readyAt)
{
    public WorkloadRun Workload { get; } = workload;

    /// <summary>The workload that started the run, and stops it.</summary>
    public IWorkload Owner { get; } = owner;

    /// <summary>Cancelled when the run is gone (or its drain is over): its connections close at once.</summary>
    public CancellationTokenSource Lost { get; } = new();

    /// <summary>When it got ready (a <see cref="TimeProvider"/> timestamp).</summary>
    public long ReadyAt { get; } = readyAt;

    /// <summary>Open leases on this run (connections and UDP flows reaching its backend).</summary>
    public int Leases { get; set; }

    /// <summary>
    /// The wake that started this run, until the run's first byte went back to a client (then null): the wake's last
    /// phase ends there.
    /// </summary>
    public WakeTimeline? AwaitingFirstByte { get; set; }

    /// <summary>Set while the run drains after an update: completes when its last lease is released.</summary>
    public TaskCompletionSource? Drained { get; set; }
}
