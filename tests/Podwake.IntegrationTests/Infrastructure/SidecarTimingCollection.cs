using Xunit;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// Side-car tests that check the figure of a key removed within 2 s through the systemd path unit, run alone
/// after every other test: each pass there is a process start and a podman API call, which took 0.4 to 0.6 s alone and
/// just over 2 s while a dozen other tests started containers on the same 2 cores.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SidecarTimingCollection : ICollectionFixture<PodmanFixture>
{
    public const string Name = "sidecar timing, alone";
}
