namespace Podwake.Activation;

/// <summary>How a <see cref="WakeAttempt"/> ended: a ready run, or why not and whether the restart policy tries again.</summary>
/// <param name="Run">The run started (ready or to be stopped); null when the start itself failed.</param>
internal sealed record WakeOutcome(WorkloadRun? Run, bool IsReady, string Reason, bool Retryable, double Milliseconds)
{
    public static WakeOutcome Ready(WorkloadRun run, double milliseconds) => new(run, true, "", false, milliseconds);

    public static WakeOutcome Failed(WorkloadRun? run, string reason, bool retryable) => new(run, false, reason, retryable, 0);
}
