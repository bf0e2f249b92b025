using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Podwake.Specs;

/// <content>The pod file's own readinessProbe, which a <c>pod:</c> service without <c>ready:</c> uses.</content>
internal sealed partial class KubeFileParser
{
    /// <summary>
    /// The first container's readinessProbe that has one, as a podwake probe: httpGet → http (path, port), tcpSocket →
    /// tcp, exec → exec in that container. Kubernetes' timing fields (periodSeconds, failureThreshold, ...) are not
    /// used: podwake probes a waking pod continuously until <c>ready.timeout</c>.
    /// </summary>
    private (ReadySpec? Probe, string? Container) FirstReadiness(YamlMappingNode podSpec, List<KubeContainer>? containers)
    {
        if (containers is null || Child(podSpec, "containers") is not YamlSequenceNode list)
        {
            return (null, null);
        }

        for (var i = 0; i < list.Children.Count && i < containers.Count; i++)
        {
            if (list.Children[i] is YamlMappingNode container && Child(container, "readinessProbe") is YamlMappingNode probe)
            {
                return (ParseProbe(probe, containers[i]), containers[i].Name);
            }
        }

        return (null, null);
    }

    private ReadySpec? ParseProbe(YamlMappingNode probe, KubeContainer container)
    {
        if (Child(probe, "httpGet") is YamlMappingNode http)
        {
            var path = (Child(http, "path") as YamlScalarNode)?.Value ?? "/";
            return Port(http, container) is { } port
                ? new ReadySpec { Kind = ReadyKind.Http, Port = port, HttpPath = path.StartsWith('/') ? path : "/" + path }
                : null;
        }

        if (Child(probe, "tcpSocket") is YamlMappingNode tcp)
        {
            return Port(tcp, container) is { } port ? new ReadySpec { Kind = ReadyKind.Tcp, Port = port } : null;
        }

        if (Child(Child(probe, "exec") as YamlMappingNode, "command") is YamlSequenceNode { Children.Count: > 0 } command
            && command.Children.All(c => c is YamlScalarNode { Value: not null }))
        {
            return new ReadySpec { Kind = ReadyKind.Exec, Exec = [.. command.Children.Select(c => ((YamlScalarNode)c).Value!)] };
        }

        Error(probe, "readinessProbe: podwake understands httpGet {path, port}, tcpSocket {port} and exec {command}; use one of them, or give the service a ready: key");
        return null;
    }

    /// <summary>A probe's port: a number, or the name of one of the container's ports.</summary>
    private int? Port(YamlMappingNode action, KubeContainer container)
    {
        if (Child(action, "port") is not YamlScalarNode { Value: { } text } node)
        {
            Error(action, "port: required; a containerPort number or the name of one");
            return null;
        }

        if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number is >= 1 and <= 65535)
        {
            return number;
        }

        if (container.Ports.FirstOrDefault(p => p.Name == text) is { } named)
        {
            return named.Port;
        }

        Error(node, $"port: \"{text}\" is neither a port number nor the name of a port of container {container.Name}");
        return null;
    }
}
