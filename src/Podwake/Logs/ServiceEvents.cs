namespace Podwake.Logs;

/// <summary>
/// Which of a service's log lines are state changes, by their <c>[LoggerMessage]</c> event id, and the stable name
/// <c>podwake events --json</c> gives each (docs/logs.md). The ids are those of Activation/ActivationLog.cs,
/// Serve/ServeLog.cs and Activate/ActivateLog.cs (of the service's own categories only: serve's "listening" line is
/// podwake.serve's); a line with any other id is not an event.
/// </summary>
internal static class ServiceEvents
{
    private static readonly Dictionary<int, string> Names = new()
    {
        [1] = "waking",          // ActivationLog.Waking
        [2] = "ready",           // ActivationLog.Ready
        [3] = "failed",          // ActivationLog.WakeFailed
        [4] = "idle",            // ActivationLog.Idle: the idle stop begins
        [5] = "dormant",         // ActivationLog.Dormant
        [6] = "exited",          // ActivationLog.Exited: "restart" when the policy restarts it (below)
        [7] = "stop-failed",     // ActivationLog.StopFailed
        [10] = "failed",         // ActivationLog.StillFailing: a failure run's periodic line
        [12] = "recovered",      // ActivationLog.Recovered
        [13] = "stop-failed",    // ActivationLog.StopFailedUnexpectedly
        [14] = "update-starting", // ActivationLog.UpdateStarting
        [15] = "updated",        // ActivationLog.UpdateSwitched
        [16] = "update-drained", // ActivationLog.UpdateDrained
        [18] = "rolled-back",    // ActivationLog.UpdateNotReady
        [19] = "update-proving", // ActivationLog.UpdateProving
        [20] = "updated",        // ActivationLog.UpdateProved
        [209] = "recreated",     // ServeLog: the container was gone, created again
        [402] = "exit",          // ActivateLog: the activator leaves the sockets to systemd and exits
        [403] = "stopping",      // ActivateLog: the activator got a signal
        [404] = "recreated",     // ActivateLog: container gone, created again
        [405] = "recreated",     // ActivateLog: pod gone, played again
    };

    /// <summary>Every name an event can have, for the documentation test.</summary>
    public static IEnumerable<string> AllNames => Names.Values.Append("restart").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);

    /// <summary>The event a line is, or null when it is no state change.</summary>
    public static ServiceEvent? From(ServiceLogRecord record)
    {
        if (!Names.TryGetValue(record.Id, out var name))
        {
            return null;
        }

        if (record.Id == 6 && record.Fields?.GetValueOrDefault("Action")?.StartsWith("restarting", StringComparison.Ordinal) == true)
        {
            name = "restart";
        }

        return new ServiceEvent
        {
            Time = record.Time,
            Service = record.Service,
            Event = name,
            Id = record.Id,
            Message = record.Message,
            Fields = record.Fields,
        };
    }
}
