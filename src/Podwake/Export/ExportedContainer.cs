using k8s.Models;
using Podwake.Specs;

namespace Podwake.Export;

/// <summary>The container of an image service as Kubernetes' pod spec has it, and its readiness probe.</summary>
internal static class ExportedContainer
{
    /// <summary>
    /// The container: image, <c>command:</c> as <c>args</c>, ports, readiness probe; the environment and mounts are
    /// added by the caller, which decides where they come from.
    /// </summary>
    /// <remarks>
    /// <c>command:</c> becomes <c>args</c>, not <c>command</c>: podwake passes it after the image (<c>podman create IMAGE
    /// ARGS</c>), which replaces the image's CMD and keeps its ENTRYPOINT, and that is what Kubernetes' <c>args</c> does;
    /// its <c>command</c> would replace the ENTRYPOINT too (podman kube play maps them the same way).
    /// </remarks>
    public static V1Container Of(ServiceSpec spec, IEnumerable<PortSpec> ports, List<string> notes) => new()
    {
        Name = spec.Name,
        Image = spec.Image,
        Args = spec.Command?.ToList(),
        Ports = ContainerPorts(ports),
        ReadinessProbe = Probe(spec.Ready, notes),
    };

    /// <summary>One entry per container port and protocol, in the order of <c>ports:</c> (two listen addresses may share one).</summary>
    public static List<V1ContainerPort>? ContainerPorts(IEnumerable<PortSpec> ports)
    {
        var list = ports
            .DistinctBy(p => (p.ContainerPort, p.Protocol))
            .Select(p => new V1ContainerPort { ContainerPort = p.ContainerPort, Protocol = ProtocolName(p.Protocol) })
            .ToList();
        return list.Count == 0 ? null : list;
    }

    /// <summary>
    /// <c>ready:</c> as a readiness probe: tcp → tcpSocket, http → httpGet (path and port), exec → exec; udp has no
    /// Kubernetes probe (UDP has no handshake), which <paramref name="notes"/> then says.
    /// </summary>
    public static V1Probe? Probe(ReadySpec ready, List<string> notes)
    {
        switch (ready.Kind)
        {
            case ReadyKind.Tcp when ready.Port > 0:
                return new V1Probe { TcpSocket = new V1TCPSocketAction { Port = ready.Port } };
            case ReadyKind.Http:
                return new V1Probe { HttpGet = new V1HTTPGetAction { Path = ready.HttpPath ?? "/", Port = ready.Port } };
            case ReadyKind.Exec:
                return new V1Probe { Exec = new V1ExecAction { Command = ready.Exec?.ToList() } };
            case ReadyKind.Udp:
                notes.Add($"ready: {{udp: {ready.Port}}}: no readiness probe; Kubernetes cannot probe UDP (no handshake), the pod is ready once its container runs");
                return null;
            default:
                return null;
        }
    }

    public static string ProtocolName(Protocol protocol) => protocol == Protocol.Udp ? "UDP" : "TCP";
}
