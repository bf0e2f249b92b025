using Xunit;

namespace Podwake.Tests.Specs;

/// <summary>Mistakes in ports and ready, each one exact <c>FILE:LINE:COL: error: MESSAGE</c>.</summary>
public sealed class PortValidationTests : IDisposable
{
    private readonly SpecFile _spec = new();

    public void Dispose() => _spec.Dispose();

    [Fact]
    public void UnknownKeyInPort_ListsThePortKeys()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports:
              - listen: 8080
                container: 80
                hostport: 80
            """);

        Assert.Equal([$"{_spec.Path}:6:5: error: ports[0]: unknown key \"hostport\"; allowed keys: listen, container, protocol, mode, owner"], errors);
    }

    [Fact]
    public void UnknownKeyInReady_SuggestsByPrefix()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports: [{listen: 8080, container: 80}]
            ready: {tcp: 80, time: 5s}
            """);

        Assert.Equal([$"{_spec.Path}:4:18: error: ready: unknown key \"time\"; did you mean \"timeout\"? allowed keys: tcp, udp, http, exec, port, timeout"], errors);
    }

    [Fact]
    public void ZeroReadyTimeout_IsAnError()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports: [{listen: 8080, container: 80}]
            ready:
              tcp: 80
              timeout: 0s
            """);

        Assert.Equal([$"{_spec.Path}:6:12: error: ready.timeout: \"0s\" must be more than zero; a wake needs time, e.g. 30s"], errors);
    }

    [Fact]
    public void ContainerPortOutOfRange_GivesTheRange()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports:
              - listen: 8080
                container: 80800
            """);

        Assert.Equal([$"{_spec.Path}:5:16: error: ports[0].container: 80800 is out of range; use a port number from 1 to 65535"], errors);
    }

    [Fact]
    public void ContainerPortNotANumber_IsAnError()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports:
              - listen: 8080
                container: http
            """);

        Assert.Equal([$"{_spec.Path}:5:16: error: ports[0].container: \"http\" is not a port number; use an integer from 1 to 65535"], errors);
    }

    [Fact]
    public void ListenOnHostName_AsksForAnIpAddress()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports:
              - listen: localhost:8080
                container: 80
            """);

        Assert.Equal(
            [$"{_spec.Path}:4:13: error: ports[0].listen: \"localhost:8080\" names a host; use an IP address instead, e.g. 127.0.0.1:8080 or 0.0.0.0:8080 (all interfaces)"],
            errors);
    }

    [Fact]
    public void ListenPortOutOfRange_IsAnError()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports: [{listen: "0.0.0.0:0", container: 80}]
            """);

        Assert.Equal([$"{_spec.Path}:3:18: error: ports[0].listen: port 0 in \"0.0.0.0:0\" is out of range; use 1 to 65535"], errors);
    }

    [Fact]
    public void MissingPorts_ShowsAnExample()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            """);

        Assert.Equal([$"{_spec.Path}:1:1: error: ports is required; add at least one, e.g. ports: [{{listen: 127.0.0.1:8080, container: 8080}}]"], errors);
    }

    [Fact]
    public void PortsAsAMapping_IsAWrongType()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports:
              listen: 8080
              container: 80
            """);

        Assert.Equal(
            [$"{_spec.Path}:4:3: error: ports: expected a list of ports, found a mapping; write each as {{listen: 127.0.0.1:8080, container: 8080}}"],
            errors);
    }

    [Fact]
    public void PortWithoutContainer_IsAnError()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports:
              - listen: 8080
            """);

        Assert.Equal([$"{_spec.Path}:4:5: error: ports[0]: container is required; the port inside the container, e.g. container: 8080"], errors);
    }

    [Fact]
    public void ReadyTcpOnAPortNotInPorts_ListsTheContainerPorts()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports:
              - {listen: 8080, container: 80}
              - {listen: 8443, container: 443}
            ready:
              tcp: 8080
            """);

        Assert.Equal(
            [$"{_spec.Path}:7:8: error: ready.tcp: 8080 is not a container port in ports; use one of 80, 443 (or add a port with container: 8080)"],
            errors);
    }

    [Fact]
    public void ReadyHttpPathWithoutSlash_IsAnError()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports: [{listen: 8080, container: 80}]
            ready: {http: healthz}
            """);

        Assert.Equal([$"{_spec.Path}:4:15: error: ready.http: \"healthz\" must start with '/', e.g. /healthz"], errors);
    }

    [Fact]
    public void TwoReadyProbes_ReportsTheSecond()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports: [{listen: 8080, container: 80}]
            ready:
              http: /healthz
              tcp: 80
            """);

        Assert.Equal([$"{_spec.Path}:6:3: error: ready: http and tcp cannot be used together; keep one of tcp, udp, http or exec"], errors);
    }

    [Fact]
    public void ReadyExecAsAString_AsksForAList()
    {
        var errors = _spec.Errors("""
            name: db
            image: db
            ports: [{listen: 5432, container: 5432}]
            ready: {exec: pg_isready}
            """);

        Assert.Equal(
            [$"{_spec.Path}:4:15: error: ready.exec: expected a list of strings, found \"pg_isready\"; write it as a list, like [pg_isready, -q]"],
            errors);
    }

    [Fact]
    public void SameListenAddressTwice_PointsAtTheFirst()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports:
              - listen: 8080
                container: 80
              - listen: 127.0.0.1:8080
                container: 81
            """);

        Assert.Equal(
            [$"{_spec.Path}:6:13: error: ports[1].listen: 127.0.0.1:8080/tcp is already used by ports[0].listen at {_spec.Path}:4:13; use another port or address"],
            errors);
    }

    [Fact]
    public void WildcardOverlappingAnAddress_Collides()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports:
              - {listen: "[::1]:8080", container: 80}
              - {listen: "[::]:8080", container: 81}
            """);

        Assert.Equal(
            [$"{_spec.Path}:5:14: error: ports[1].listen: [::]:8080/tcp collides with [::1]:8080/tcp of ports[0].listen at {_spec.Path}:4:14; both cannot be bound at once: use another port"],
            errors);
    }
}
