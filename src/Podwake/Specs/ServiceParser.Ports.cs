using System.Net;
using YamlDotNet.RepresentationModel;

namespace Podwake.Specs;

/// <summary><c>ports:</c> and <c>expose:</c>, the host addresses a service listens on.</summary>
internal sealed partial class ServiceParser
{
    private const string PortExample = "{listen: 127.0.0.1:8080, container: 8080}";

    /// <returns>The ports that parsed, and whether that is all of them (no item had an error).</returns>
    private (List<PortSpec> Ports, bool Complete) ParsePorts(YamlNode? key, YamlNode? node, YamlMappingNode map)
    {
        var ports = new List<PortSpec>();
        if (key is null || node is null)
        {
            Error(map, $"ports is required; add at least one, e.g. ports: [{PortExample}]");
            return (ports, false);
        }

        var sequence = ReadSequence(node, SpecKeys.Ports, "a list of ports", $"; write each as {PortExample}");
        if (sequence is null)
        {
            return (ports, false);
        }

        if (sequence.Children.Count == 0)
        {
            Error(node, $"ports: the list is empty; add at least one port, e.g. {PortExample}");
            return (ports, false);
        }

        var complete = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            if (ParsePort(sequence.Children[i], $"ports[{i}]") is { } port)
            {
                ports.Add(port);
            }
            else
            {
                complete = false;
            }
        }

        CheckUnixOptionsAgree(ports);
        return (ports, complete);
    }

    private PortSpec? ParsePort(YamlNode item, string context)
    {
        var map = ReadMapping(item, context, $"a mapping with listen and container like {PortExample}");
        if (map is null)
        {
            return null;
        }

        var entries = Entries(map, context, SpecKeys.PortItem);
        ListenValue? listen = null;
        SourceLocation listenLocation = At(map);
        if (entries.TryGetValue(SpecKeys.Listen, out var listenEntry))
        {
            listen = ReadListen(listenEntry.Value, $"{context}.{SpecKeys.Listen}");
            listenLocation = At(listenEntry.Value);
        }
        else
        {
            Error(map, $"{context}: listen is required; the host address clients connect to, e.g. listen: 127.0.0.1:8080 or listen: /run/web.sock");
        }

        int? container = null;
        if (entries.TryGetValue(SpecKeys.Container, out var containerEntry))
        {
            container = ReadPort(containerEntry.Value, $"{context}.{SpecKeys.Container}");
        }
        else
        {
            Error(map, $"{context}: container is required; the port inside the container, e.g. container: 8080");
        }

        Protocol? protocol = Protocol.Tcp;
        if (entries.TryGetValue(SpecKeys.Protocol, out var protocolEntry))
        {
            protocol = ParseProtocol(protocolEntry.Value, $"{context}.{SpecKeys.Protocol}");
            if (protocol == Protocol.Udp && listen?.UnixPath is { } path)
            {
                Error(protocolEntry.Value, $"{context}.{SpecKeys.Protocol}: udp cannot listen on the unix socket {path}; podwake's unix listeners are stream sockets (unix datagram sockets are not supported): remove protocol: udp, or listen on an IP address for udp");
                protocol = null;
            }
        }

        var unix = listen?.UnixPath is { } unixPath ? ParseUnixOptions(unixPath, entries, context) : null;
        if (listen?.Address is not null)
        {
            ReportUnixOnly(entries, context);
        }

        if (listen is null || protocol is null || (listen.UnixPath is not null && unix is null))
        {
            return null;
        }

        _claims.Add(new ListenClaim(listen.Address, protocol.Value, $"{context}.{SpecKeys.Listen}", listenLocation) { UnixPath = listen.UnixPath });
        return container is null
            ? null
            : new PortSpec { Listen = listen.Address, Unix = unix, ContainerPort = container.Value, Protocol = protocol.Value, Location = listenLocation };
    }

    private Protocol? ParseProtocol(YamlNode node, string key)
    {
        var words = ProtocolText.Table;
        var text = ReadString(node, key, words.Choices);
        if (text is null)
        {
            return null;
        }

        if (!words.TryParse(text, out var protocol))
        {
            Error(node, $"{key}: \"{text}\" is not a protocol; use {words.Choices}");
            return null;
        }

        return protocol;
    }

    /// <summary>An IP address and port, or a unix socket path; null after reporting.</summary>
    private ListenValue? ReadListen(YamlNode node, string key)
    {
        if (node is YamlSequenceNode)
        {
            // YAML reads an unquoted [::1] as a list.
            Error(node, $"{key}: expected an address like 127.0.0.1:8080, found a list; quote IPv6 addresses: \"[::1]:8080\"");
            return null;
        }

        var text = ReadString(node, key, $"an address: {ListenAddress.Forms}, or a unix socket: {UnixSocketPath.Forms}");
        if (text is null)
        {
            return null;
        }

        if (text.Any(char.IsControl))
        {
            Error(node, $"{key}: \"{text}\" contains a control character; write the address alone: {ListenAddress.Forms}");
            return null;
        }

        if (UnixSocketPath.LooksLikeOne(text))
        {
            if (!UnixSocketPath.TryParse(text, out var pathProblem))
            {
                Error(node, $"{key}: {pathProblem}");
                return null;
            }

            return new ListenValue(null, text);
        }

        if (!ListenAddress.TryParse(text, out var endPoint, out var problem))
        {
            Error(node, $"{key}: {problem}");
            return null;
        }

        return new ListenValue(endPoint, null);
    }

    private List<ExposeSpec> ParseExpose(YamlNode key, YamlNode node, (List<PortSpec> Ports, bool Complete) ports)
    {
        ReportIfNotSupported(SpecFeature.Expose, key);
        var exposed = new List<ExposeSpec>();
        var sequence = ReadSequence(node, SpecKeys.Expose, "a list like [{listen: 0.0.0.0:80, to: 8080}]");
        if (sequence is null)
        {
            return exposed;
        }

        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var context = $"expose[{i}]";
            var map = ReadMapping(sequence.Children[i], context, "a mapping like {listen: 0.0.0.0:80, to: 8080}");
            if (map is null)
            {
                continue;
            }

            var entries = Entries(map, context, SpecKeys.ExposeItem);
            IPEndPoint? listen = null;
            var location = At(map);
            if (entries.TryGetValue(SpecKeys.Listen, out var listenEntry))
            {
                var value = ReadListen(listenEntry.Value, $"{context}.{SpecKeys.Listen}");
                listen = value?.Address;
                location = At(listenEntry.Value);
                if (value?.UnixPath is { } path)
                {
                    Error(listenEntry.Value, $"{context}.{SpecKeys.Listen}: {path} is a unix socket; expose: forwards outside IP addresses to a port of this service: write an address like 0.0.0.0:80 (a unix socket listener belongs in ports:, where it is served directly)");
                }
            }
            else
            {
                Error(map, $"{context}: listen is required; the outside address to forward, e.g. listen: 0.0.0.0:80");
            }

            int? to = null;
            PortSpec? target = null;
            if (entries.TryGetValue(SpecKeys.To, out var toEntry))
            {
                to = ReadPort(toEntry.Value, $"{context}.{SpecKeys.To}");
                target = ports.Ports.FirstOrDefault(p => p.Listen?.Port == to);
                if (to is not null && target is null && ports.Complete)
                {
                    var listening = ports.Ports.Count == 0
                        ? "this service has no ports"
                        : ports.Ports.All(p => p.Listen is null)
                        ? $"this service listens only on unix sockets ({string.Join(", ", ports.Ports.Select(p => p.ListenText))}), which expose: cannot forward to; add a port with an IP address"
                        : $"ports listen on {string.Join(", ", ports.Ports.Where(p => p.Listen is not null).Select(p => p.Ip.Port).Distinct())}";
                    Error(toEntry.Value, $"{context}.to: {to} is not a listen port of this service; {listening}");
                }
            }
            else
            {
                Error(map, $"{context}: to is required; the listen port of this service to forward to, e.g. to: 8080");
            }

            if (listen is not null)
            {
                _claims.Add(new ListenClaim(listen, target?.Protocol ?? Protocol.Tcp, $"{context}.{SpecKeys.Listen}", location));
            }

            if (listen is not null && to is not null)
            {
                exposed.Add(new ExposeSpec { Listen = listen, To = to.Value, Location = location });
            }
        }

        return exposed;
    }
}
