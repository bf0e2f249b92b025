namespace Podwake.Activation;

/// <summary>
/// What the activator wakes and stops: a pre-created container (<c>Serve.ContainerWorkload</c>), a systemd container
/// unit (<c>Activate.UnitWorkload</c>). A run reports its own end through <see cref="WorkloadRun.Exited"/>.
/// </summary>
/// <remarks>
/// A workload with several containers (a pod: its infra container holds the network namespace the backend points
/// into, the service container's exit is the run's exit) fits as it is: one run, one backend, one exit. So does a
/// second, updated container of the same service: a second workload whose run replaces the first
/// (README, "Architecture").
/// </remarks>
internal interface IWorkload
{
    /// <summary>Starts a run; returns once it is started, which is not yet ready.</summary>
    Task<WorkloadRun> StartAsync(long generation, CancellationToken cancellationToken);

    /// <summary>One readiness check of a started run; false means "not yet", exceptions mean "not yet" too.</summary>
    Task<bool> ProbeAsync(WorkloadRun run, CancellationToken cancellationToken);

    /// <summary>True when the run still lives (asked when a connection to it fails before its exit was seen).</summary>
    Task<bool> IsRunningAsync(WorkloadRun run, CancellationToken cancellationToken);

    /// <summary>
    /// Explains a run that ended before it was ready: which container, its exit code (<paramref name="exitCode"/> when the
    /// exit report had it, else read back) and its last lines of output.
    /// </summary>
    Task<WorkloadExit> ExplainExitAsync(int? exitCode, CancellationToken cancellationToken);

    /// <summary>Stops the run; idempotent, and quick when it already ended.</summary>
    Task StopAsync(WorkloadRun? run, CancellationToken cancellationToken);
}
