namespace Podwake.Activation;

/// <summary>How <see cref="ServiceActivator.ReplaceAsync"/> ended.</summary>
/// <param name="Replaced">The new workload is the service's now (proved ready); false: the old one stays.</param>
/// <param name="Reason">Why not, when not replaced (the new run's failure, or what stood in the way).</param>
/// <param name="WasRunning">The service was running: the new run took over beside the old one; false: it was proved
/// with no traffic while dormant.</param>
/// <param name="ReadyMilliseconds">How long the new run took to get ready.</param>
/// <param name="ClosedAfterDrain">Connections of the old run still open when the drain time was up, closed then.</param>
/// <param name="RolledBack">The new run was started and failed (not ready in time, or exited): the old one serves on.
/// False with <paramref name="Replaced"/> false: nothing was started (shutting down, the service was busy).</param>
internal sealed record ReplaceOutcome(bool Replaced, string? Reason, bool WasRunning, double ReadyMilliseconds, int ClosedAfterDrain, bool RolledBack)
{
    public static ReplaceOutcome Done(bool wasRunning, double readyMilliseconds, int closedAfterDrain = 0) =>
        new(true, null, wasRunning, readyMilliseconds, closedAfterDrain, false);

    public static ReplaceOutcome RolledBackBecause(string reason, bool wasRunning) => new(false, reason, wasRunning, 0, 0, true);

    public static ReplaceOutcome NotStarted(string reason) => new(false, reason, false, 0, 0, false);
}
