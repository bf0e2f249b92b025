using Podwake.Podman;
using Xunit;
using static Podwake.Tests.EnumTextTests;

namespace Podwake.Tests.Podman;

public sealed class ContainerWaitConditionTextTests
{
    [Fact]
    public void ContainerWaitConditionText_RoundTrips_AsLibpodSpellsThem() => AssertRoundTrips(
        ContainerWaitConditionText.Table, "configured", "created", "running", "stopped", "paused", "exited", "removing", "stopping");
}
