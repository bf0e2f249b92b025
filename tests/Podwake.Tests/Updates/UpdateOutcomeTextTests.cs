using Podwake.Updates;
using Xunit;
using static Podwake.Tests.EnumTextTests;

namespace Podwake.Tests.Updates;

public sealed class UpdateOutcomeTextTests
{
    [Fact]
    public void UpdateOutcomeText_RoundTrips() => AssertRoundTrips(UpdateOutcomeText.Table, "up-to-date", "would-update", "updated", "rolled-back", "failed", "skipped");
}
