using Podwake.Specs;
using Xunit;
using static Podwake.Tests.EnumTextTests;

namespace Podwake.Tests.Specs;

public sealed class SpecEnumTextTests
{
    [Fact]
    public void RestartPolicyText_RoundTrips() => AssertRoundTrips(RestartPolicyText.Table, "no", "on-failure", "always");

    [Fact]
    public void UpdatePolicyText_RoundTrips() => AssertRoundTrips(UpdatePolicyText.Table, "none", "registry", "local");

    [Fact]
    public void ProtocolText_RoundTrips() => AssertRoundTrips(ProtocolText.Table, "tcp", "udp");

    [Fact]
    public void ReadyKindText_RoundTrips() => AssertRoundTrips(ReadyKindText.Table, "tcp", "udp", "http", "exec");

    [Fact]
    public void SpecFeatureText_RoundTrips() =>
        AssertRoundTrips(SpecFeatureText.Table, "run_as", "expose", "pod", "update: registry", "update: local");

    [Fact]
    public void Choices_AreTheWordsTheParserOffers()
    {
        Assert.Equal("no, on-failure or always", RestartPolicyText.Table.Choices);
        Assert.Equal("none, registry or local", UpdatePolicyText.Table.Choices);
        Assert.Equal("tcp or udp", ProtocolText.Table.Choices);
        Assert.Equal("tcp, udp, http or exec", ReadyKindText.Table.Choices);
    }
}
