using Podwake.Specs;
using Xunit;

namespace Podwake.Tests.Specs;

/// <summary><c>protocol: udp</c> ports, the <c>udp:</c> key and readiness of udp-only services.</summary>
public sealed class UdpSpecTests : IDisposable
{
    private readonly SpecFile _spec = new();

    public void Dispose() => _spec.Dispose();

    [Fact]
    public void UdpOnlyServiceWithoutReady_ProbesTheFirstUdpPortBySocketTable()
    {
        var spec = _spec.Load("""
            name: dns
            image: dns
            ports:
              - {listen: 5353, container: 53, protocol: udp}
              - {listen: 5354, container: 54, protocol: udp}
            """);

        Assert.Equal(Protocol.Udp, spec.Ports[0].Protocol);
        Assert.Equal(ReadyKind.Udp, spec.Ready.Kind);
        Assert.Equal(53, spec.Ready.Port);
        Assert.Equal(new UdpSpec(), spec.Udp);
        Assert.Equal(TimeSpan.FromSeconds(30), spec.Udp.FlowIdle);
    }

    [Fact]
    public void TcpBesideUdp_DefaultProbeStaysTcp()
    {
        var spec = _spec.Load("""
            name: dns
            image: dns
            ports:
              - {listen: 5353, container: 53, protocol: udp}
              - {listen: 5353, container: 53}
            """);

        Assert.Equal(ReadyKind.Tcp, spec.Ready.Kind);
        Assert.Equal(53, spec.Ready.Port);
    }

    [Fact]
    public void SameListenAddressForTcpAndUdp_IsAllowed()
    {
        var spec = _spec.Load("""
            name: dns
            image: dns
            ports:
              - {listen: 127.0.0.1:5353, container: 53, protocol: tcp}
              - {listen: 127.0.0.1:5353, container: 53, protocol: udp}
            """);

        Assert.Equal([Protocol.Tcp, Protocol.Udp], spec.Ports.Select(p => p.Protocol));
    }

    [Fact]
    public void SameUdpListenAddressTwice_Collides()
    {
        var errors = _spec.Errors("""
            name: dns
            image: dns
            ports:
              - {listen: 5353, container: 53, protocol: udp}
              - {listen: 127.0.0.1:5353, container: 54, protocol: udp}
            """);

        Assert.Equal(
            [$"{_spec.Path}:5:14: error: ports[1].listen: 127.0.0.1:5353/udp is already used by ports[0].listen at {_spec.Path}:4:14; use another port or address"],
            errors);
    }

    [Fact]
    public void ExplicitUdpProbeAndSettings_AreRead()
    {
        var spec = _spec.Load("""
            name: dns
            image: dns
            ports: [{listen: 5353, container: 53, protocol: udp}]
            ready: {udp: 53, timeout: 5s}
            udp:
              flow_idle: 1m30s
              hold_datagrams: 100
              hold_bytes: 65536
              max_flows: 50
            """);

        Assert.Equal(new ReadySpec { Kind = ReadyKind.Udp, Port = 53, Timeout = TimeSpan.FromSeconds(5) }, spec.Ready);
        Assert.Equal(new UdpSpec { FlowIdle = TimeSpan.FromSeconds(90), HoldDatagrams = 100, HoldBytes = 65536, MaxFlows = 50 }, spec.Udp);
    }

    [Fact]
    public void UdpProbeOnAPortNotInPorts_ListsTheContainerPorts()
    {
        var errors = _spec.Errors("""
            name: dns
            image: dns
            ports: [{listen: 5353, container: 53, protocol: udp}]
            ready: {udp: 5353}
            """);

        Assert.Equal([$"{_spec.Path}:4:14: error: ready.udp: 5353 is not a container port in ports; use one of 53 (or add a port with container: 5353)"], errors);
    }

    [Fact]
    public void BadUdpSettings_AreAllReported()
    {
        var errors = _spec.Errors("""
            name: dns
            image: dns
            ports: [{listen: 5353, container: 53, protocol: udp}]
            udp:
              flow_idle: 0s
              hold_datagrams: many
              hold_bytes: -1
              flow_timeout: 5s
            """);

        Assert.Equal(
            [
                $"{_spec.Path}:5:14: error: udp.flow_idle: \"0s\" must be more than zero; a flow needs time for its reply, e.g. 30s",
                $"{_spec.Path}:6:19: error: udp.hold_datagrams: \"many\" is not a positive integer up to 2147483647; give the most datagrams to buffer while waking, e.g. 4096",
                $"{_spec.Path}:7:15: error: udp.hold_bytes: \"-1\" is not a positive integer up to 9223372036854775807; give the most payload bytes to buffer while waking, e.g. 4194304",
                $"{_spec.Path}:8:3: error: udp: unknown key \"flow_timeout\"; allowed keys: flow_idle, hold_datagrams, hold_bytes, max_flows",
            ],
            errors);
    }

    [Fact]
    public void MaxFlowsDefault_Is1024()
    {
        var spec = _spec.Load("""
            name: dns
            image: dns
            ports: [{listen: 5353, container: 53, protocol: udp}]
            """);

        Assert.Equal(1024, spec.Udp.MaxFlows);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("-5")]
    [InlineData("lots")]
    [InlineData("1048577")]
    public void BadMaxFlows_IsAnErrorAtItsValue(string value)
    {
        var errors = _spec.Errors($$"""
            name: dns
            image: dns
            ports: [{listen: 5353, container: 53, protocol: udp}]
            udp:
              max_flows: {{value}}
            """);

        Assert.Equal(
            [$"{_spec.Path}:5:14: error: udp.max_flows: \"{value}\" is not a positive integer up to 1048576; give the most client flows per udp port (the one idle longest is evicted past it), e.g. 1024"],
            errors);
    }

    [Fact]
    public void UdpSettingsWithoutAUdpPort_AreAnError()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports: [{listen: 8080, container: 80}]
            udp: {flow_idle: 10s}
            """);

        Assert.Equal(
            [$"{_spec.Path}:4:1: error: udp: this service has no udp port, so the settings would do nothing; remove udp: or add a port with protocol: udp"],
            errors);
    }

    [Fact]
    public void UdpAsAList_IsAWrongType()
    {
        var errors = _spec.Errors("""
            name: dns
            image: dns
            ports: [{listen: 5353, container: 53, protocol: udp}]
            udp: [flow_idle]
            """);

        Assert.Equal(
            [$"{_spec.Path}:4:6: error: udp: expected a mapping like {{flow_idle: 30s, hold_datagrams: 4096, hold_bytes: 4194304, max_flows: 1024}}, found a list"],
            errors);
    }
}
