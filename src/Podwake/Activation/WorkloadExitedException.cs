namespace Podwake.Activation;

/// <summary>The workload found its run already ended while starting it (e.g. the app exited at once with a config error).</summary>
internal sealed class WorkloadExitedException : Exception
{
    public WorkloadExitedException(WorkloadExit exit)
        : base(exit.Message)
    {
        Exit = exit;
    }

    public WorkloadExit Exit { get; }
}
