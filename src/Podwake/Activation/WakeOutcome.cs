namespace Podwake.Activation;

/// <summary>How a <see cref="WakeAttempt"/> ended: a ready run, or why not and whether the restart policy tries again.</summary>
/// <param name="Run">The run started (ready or to be stopped); null when the start itself failed.</param>
internal sealed record WakeOutcome(WorkloadRun? Run, bool IsReady, string Reason, bool Retryable, double Milliseconds)
{
    /// <summary>A ready run's start request, running and ready moments (<see cref="TimeProvider"/> timestamps).</summary>
    public (long StartRequestedAt, long RunningAt, long ReadyAt) Moments { get; init; }

    public static WakeOutcome Ready(WorkloadRun run, double milliseconds, (long StartRequestedAt, long RunningAt, long ReadyAt) moments) =>
        new(run, true, "", false, milliseconds) { Moments = moments };

    public static WakeOutcome Failed(WorkloadRun? run, string reason, bool retryable) => new(run, false, reason, retryable, 0);
}
