using Podwake.Specs;

namespace Podwake.Tests.Units;

/// <summary>A <c>sidecar:</c> service built in code, as the parser makes it from the example.</summary>
internal static class SidecarTestSpecs
{
    public static ServiceSpec Dnsmasq(string name = "dnsmasq", string wrapper = "/var/lib/neutron/dnsmasq-wrapper", string image = "localhost/agent-tools:1")
    {
        var at = new SourceLocation("/etc/podwake/dnsmasq.yaml", 1, 1);
        return new ServiceSpec
        {
            Name = name,
            Image = image,
            Idle = null,
            Ready = new ReadySpec { Kind = ReadyKind.Tcp, Port = 0 },
            Sidecar = new SidecarSpec
            {
                Wrapper = wrapper,
                Command = ["/usr/sbin/dnsmasq", "-k"],
                Key = SidecarKey.Netns,
                Location = at with { Line = 3 },
            },
            Location = at,
        };
    }
}
