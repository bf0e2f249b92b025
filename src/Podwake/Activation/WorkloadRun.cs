using Podwake.Proxy;

namespace Podwake.Activation;

/// <summary>
/// One run of a service's workload, from its start to its end: where the proxy reaches it, and its end.
/// </summary>
/// <param name="Generation">Counts the service's runs; tells a late report about an old run from the current one.</param>
/// <param name="Backend">Where the proxy and the readiness probe reach the run.</param>
/// <param name="Exited">
/// Completes, with the exit code when known, when the run ends (the workload watches podman's events or the container
/// unit's process). It may complete for a run the activator stopped itself (serve's container reports that stop's
/// "died" too): the activator acts only on the exit of its current ready run, by generation. The workload owns it: the
/// activator only observes it, so no callback has to be wired after construction.
/// </param>
internal sealed record WorkloadRun(long Generation, Backend Backend, Task<int?> Exited);
