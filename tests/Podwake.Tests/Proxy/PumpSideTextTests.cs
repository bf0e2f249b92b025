using Podwake.Proxy;
using Xunit;
using static Podwake.Tests.EnumTextTests;

namespace Podwake.Tests.Proxy;

public sealed class PumpSideTextTests
{
    [Fact]
    public void PumpSideText_RoundTrips() => AssertRoundTrips(PumpSideText.Table, "None", "Client", "Backend");
}
