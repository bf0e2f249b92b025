using Podwake.Activation;
using Podwake.Specs;

namespace Podwake.Serve;

/// <summary>One service inside a serve: the composed service (activator and listeners) and its container.</summary>
internal sealed record ServiceRuntime(ActivatedService Service, ContainerWorkload Workload)
{
    public ServiceSpec Spec => Service.Spec;

    public IReadOnlyList<string> ListenAddresses => Service.ListenAddresses;
}
