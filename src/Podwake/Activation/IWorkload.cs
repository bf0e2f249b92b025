namespace Podwake.Activation;

/// <summary>
/// What the activator wakes and stops: a pre-created container (serve), a systemd unit (activate).
/// Implementations report a run that ends on its own through <see cref="ServiceActivator.OnExited"/>.
/// </summary>
internal interface IWorkload
{
    /// <summary>Starts a run; returns once the container is started, which is not yet ready.</summary>
    Task<WorkloadInstance> StartAsync(long generation, CancellationToken cancellationToken);

    /// <summary>One readiness check of a started run; false means "not yet", exceptions mean "not yet" too.</summary>
    Task<bool> ProbeAsync(WorkloadInstance instance, CancellationToken cancellationToken);

    /// <summary>True when the run still lives (asked when a connection to it fails before its exit event arrived).</summary>
    Task<bool> IsRunningAsync(WorkloadInstance instance, CancellationToken cancellationToken);

    /// <summary>
    /// Explains a run that ended before it was ready: which container, its exit code (<paramref name="exitCode"/> when the
    /// exit report had it, else read back) and its last lines of output.
    /// </summary>
    Task<WorkloadExit> ExplainExitAsync(int? exitCode, CancellationToken cancellationToken);

    /// <summary>Stops the run; idempotent, and quick when it already ended.</summary>
    Task StopAsync(WorkloadInstance? instance, CancellationToken cancellationToken);
}
