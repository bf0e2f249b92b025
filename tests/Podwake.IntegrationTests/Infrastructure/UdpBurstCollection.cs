using Xunit;

namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// The UDP tests, run alone after every other test (no other collection runs beside them). Rootless, their datagrams
/// cross podman's userspace forwarder (rootlessport), whose 208 KiB socket overflows when other tests' containers
/// starve it of CPU for a few tens of milliseconds: seen here as 106 of 250 replies with podwake itself counting no drop.
/// podwake cannot size that socket; it paces what it sends to it (16 datagrams per millisecond).
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class UdpBurstCollection : ICollectionFixture<PodmanFixture>
{
    public const string Name = "udp, alone";
}
