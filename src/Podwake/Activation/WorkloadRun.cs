using Podwake.Proxy;

namespace Podwake.Activation;

/// <summary>
/// One run of a service's workload, from its start to its end: where the proxy reaches it, and its end.
/// </summary>
/// <param name="Generation">Counts the service's runs; tells a late report about an old run from the current one.</param>
/// <param name="Backend">Where the proxy and the readiness probe reach the run.</param>
/// <param name="Exited">
/// Completes, with the exit code when known, when the run ends on its own (the workload watches podman's events or
/// the container unit's process); never completes for a run the activator stops. The workload owns it: the activator
/// only observes it, so no callback has to be wired after construction.
/// </param>
internal sealed record WorkloadRun(long Generation, Backend Backend, Task<int?> Exited);
