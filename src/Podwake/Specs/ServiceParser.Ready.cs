using YamlDotNet.RepresentationModel;

namespace Podwake.Specs;

/// <summary><c>ready:</c>, the readiness probe that gates traffic to a woken container.</summary>
internal sealed partial class ServiceParser
{
    private static readonly IReadOnlyList<string> Probes = ReadyKindText.Table.Texts;

    private ReadySpec? ParseReady(YamlNode? node, (List<PortSpec> Ports, bool Complete) ports)
    {
        var firstTcp = ports.Ports.FirstOrDefault(p => p.Protocol == Protocol.Tcp);
        if (node is null)
        {
            return DefaultReady(firstTcp, ports, ReadySpec.DefaultTimeout);
        }

        var map = ReadMapping(node, SpecKeys.Ready, "a mapping like {tcp: 8080}, {udp: 53}, {http: /healthz} or {exec: [cmd, args]}");
        if (map is null)
        {
            return null;
        }

        var entries = Entries(map, SpecKeys.Ready, SpecKeys.ReadyProbe);
        var ok = true;
        var timeout = ReadySpec.DefaultTimeout;
        if (entries.TryGetValue(SpecKeys.Timeout, out var timeoutEntry))
        {
            var parsed = ParseTimeout(timeoutEntry.Value);
            ok &= parsed is not null;
            timeout = parsed ?? timeout;
        }

        // Probe keys in the order written, so that the second one is the one reported.
        var probes = map.Children
            .Select(child => child.Key is YamlScalarNode { Value: { } name } ? name : null)
            .Where(name => name is not null && Probes.Contains(name))
            .Select(name => (Name: name!, entries[name!].Key, entries[name!].Value))
            .ToList();
        foreach (var extra in probes.Skip(1))
        {
            Error(extra.Key, $"ready: {probes[0].Name} and {extra.Name} cannot be used together; keep one of {ReadyKindText.Table.Choices}");
            ok = false;
        }

        var probe = probes.Count > 0 ? probes[0].Name : null;
        int? port = null;
        if (entries.TryGetValue(SpecKeys.Port, out var portEntry))
        {
            if (probe == SpecKeys.Http)
            {
                port = ReadPort(portEntry.Value, "ready.port");
                ok &= port is not null && IsContainerPort(portEntry.Value, "ready.port", port.Value, ports);
            }
            else
            {
                var fix = probe is SpecKeys.Tcp or SpecKeys.Udp ? $"the {probe} probe's port is the value of {probe}:" : "remove it";
                Error(portEntry.Key, $"ready.port: only applies to an http probe; {fix}");
                ok = false;
            }
        }

        ReadySpec? ready = !ReadyKindText.TryParse(probe, out var kind) ? DefaultReady(firstTcp, ports, timeout) : kind switch
        {
            ReadyKind.Tcp or ReadyKind.Udp => ParsePortProbe(kind, probes[0].Value, ports, timeout),
            ReadyKind.Http => ParseHttpProbe(probes[0].Value, port ?? firstTcp?.ContainerPort, ports, timeout),
            _ => ReadCommandLine(probes[0].Value, "ready.exec", "[pg_isready, -q]") is { } exec
                ? new ReadySpec { Kind = ReadyKind.Exec, Exec = exec, Timeout = timeout }
                : null,
        };
        return ok ? ready : null;
    }

    /// <summary>
    /// No probe given: TCP connect to the first tcp port's container port; a service with only udp
    /// ports waits until the first udp port's container port is bound (see <see cref="ReadyKind.Udp"/>).
    /// </summary>
    private static ReadySpec DefaultReady(PortSpec? firstTcp, (List<PortSpec> Ports, bool Complete) ports, TimeSpan timeout)
    {
        if (firstTcp is null && ports.Ports.FirstOrDefault(p => p.Protocol == Protocol.Udp) is { } firstUdp)
        {
            return new ReadySpec { Kind = ReadyKind.Udp, Port = firstUdp.ContainerPort, Timeout = timeout };
        }

        return new ReadySpec { Kind = ReadyKind.Tcp, Port = firstTcp?.ContainerPort ?? 0, Timeout = timeout };
    }

    private ReadySpec? ParsePortProbe(ReadyKind kind, YamlNode node, (List<PortSpec> Ports, bool Complete) ports, TimeSpan timeout)
    {
        var key = $"ready.{kind.ToText()}";
        var port = ReadPort(node, key);
        return port is not null && IsContainerPort(node, key, port.Value, ports)
            ? new ReadySpec { Kind = kind, Port = port.Value, Timeout = timeout }
            : null;
    }

    private ReadySpec? ParseHttpProbe(YamlNode node, int? port, (List<PortSpec> Ports, bool Complete) ports, TimeSpan timeout)
    {
        var path = ReadString(node, "ready.http", "a request path like /healthz");
        if (path is null)
        {
            return null;
        }

        if (!path.StartsWith('/'))
        {
            Error(node, $"ready.http: \"{path}\" must start with '/', e.g. /{path}");
            return null;
        }

        // The path goes into the request line as is: a space or control character would end or split it.
        if (path.Any(c => c <= ' ' || c == '\x7f'))
        {
            Error(node, $"ready.http: \"{path}\" contains a space or control character, which would break the request line; percent-encode it (e.g. %20 for a space)");
            return null;
        }

        if (port is null)
        {
            if (ports.Complete)
            {
                Error(node, "ready.http: no tcp port in ports to send the request to; add ready.port: PORT");
            }

            return null;
        }

        return new ReadySpec { Kind = ReadyKind.Http, HttpPath = path, Port = port.Value, Timeout = timeout };
    }

    private TimeSpan? ParseTimeout(YamlNode node)
    {
        var text = ReadString(node, "ready.timeout", "a duration like 30s");
        if (text is null)
        {
            return null;
        }

        if (!Duration.TryParse(text, out var timeout, out var problem))
        {
            Error(node, $"ready.timeout: {problem}");
            return null;
        }

        if (timeout <= TimeSpan.Zero)
        {
            Error(node, $"ready.timeout: \"{text}\" must be more than zero; a wake needs time, e.g. 30s");
            return null;
        }

        return timeout;
    }

    /// <summary>True when <paramref name="port"/> is a container port in ports (or ports had errors, so nobody knows).</summary>
    private bool IsContainerPort(YamlNode node, string key, int port, (List<PortSpec> Ports, bool Complete) ports)
    {
        if (!ports.Complete || ports.Ports.Count == 0 || ports.Ports.Any(p => p.ContainerPort == port))
        {
            return true;
        }

        var known = string.Join(", ", ports.Ports.Select(p => p.ContainerPort).Distinct());
        Error(node, $"{key}: {port} is not a container port in ports; use one of {known} (or add a port with container: {port})");
        return false;
    }
}
