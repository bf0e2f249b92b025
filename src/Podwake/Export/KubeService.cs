using k8s.Models;
using Podwake.Specs;

namespace Podwake.Export;

/// <summary>The <c>v1</c> Service of a service's <c>ports:</c>: port = the listen port, targetPort = the container port.</summary>
internal static class KubeService
{
    /// <summary>The Service, or null for a service without ports.</summary>
    /// <param name="selector">The pod labels it routes to; null when the pods have none (a <c>pod:</c> file without labels).</param>
    public static V1Service? Of(ServiceSpec spec, IDictionary<string, string>? selector, List<string> notes)
    {
        var ports = new List<V1ServicePort>();
        foreach (var port in spec.Ports)
        {
            var protocol = ExportedContainer.ProtocolName(port.Protocol);

            // A unix socket has no port number and a Service no unix socket: its clients in the cluster reach the
            // container port over TCP, the same port the socket leads to.
            var number = port.Listen?.Port ?? port.ContainerPort;
            if (ports.Any(p => p.Port == number && p.Protocol == protocol))
            {
                // Two listen addresses on one port (127.0.0.1:80 and 192.0.2.1:80): a Service has one port 80/TCP.
                notes.Add($"ports: {port.ListenDisplay} -> {port.ContainerPort}: not exported; the Service has port {number}/{protocol} already");
                continue;
            }

            if (port.Unix is not null)
            {
                notes.Add($"ports: {port.ListenDisplay} -> {port.ContainerPort}: a unix socket has no Kubernetes equivalent; exported as Service port {number}/{protocol} (the container port), which clients in the cluster reach over TCP");
            }

            ports.Add(new V1ServicePort
            {
                // A Service with several ports must name each; the name says the protocol and the port.
                Name = $"{port.Protocol.ToText()}-{number}",
                Port = number,
                TargetPort = port.ContainerPort,
                Protocol = protocol,
            });
        }

        if (ports.Count == 0)
        {
            return null;
        }

        return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = new V1ObjectMeta { Name = spec.Name, Labels = KubeLabels.Of(spec.Name) },
            Spec = new V1ServiceSpec { Selector = selector, Ports = ports },
        };
    }
}
