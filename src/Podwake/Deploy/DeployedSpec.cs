using Podwake.Specs;

namespace Podwake.Deploy;

/// <summary>A service deployed on this host, as <c>podwake update</c> finds it: its spec copy and where it runs.</summary>
internal sealed record DeployedSpec(ServiceSpec Spec, DeployTarget Target);
