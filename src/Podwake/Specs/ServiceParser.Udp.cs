using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace Podwake.Specs;

/// <summary><c>udp:</c>, the flow table and datagram buffer bounds of a service's udp ports.</summary>
internal sealed partial class ServiceParser
{
    private const string UdpExample = "{flow_idle: 30s, hold_datagrams: 4096, hold_bytes: 4194304, max_flows: 1024}";

    private UdpSpec? ParseUdp(YamlNode key, YamlNode node, (List<PortSpec> Ports, bool Complete) ports)
    {
        if (ports.Complete && !ports.Ports.Any(p => p.Protocol == Protocol.Udp))
        {
            Error(key, "udp: this service has no udp port, so the settings would do nothing; remove udp: or add a port with protocol: udp");
        }

        var map = ReadMapping(node, SpecKeys.Udp, $"a mapping like {UdpExample}");
        if (map is null)
        {
            return null;
        }

        var entries = Entries(map, SpecKeys.Udp, SpecKeys.UdpMapping);
        var udp = new UdpSpec();
        var ok = true;
        if (entries.TryGetValue(SpecKeys.FlowIdle, out var flowIdle))
        {
            var parsed = ParseFlowIdle(flowIdle.Value);
            ok &= parsed is not null;
            udp = udp with { FlowIdle = parsed ?? udp.FlowIdle };
        }

        if (entries.TryGetValue(SpecKeys.HoldDatagrams, out var datagrams))
        {
            var parsed = ReadPositive(datagrams.Value, $"{SpecKeys.Udp}.{SpecKeys.HoldDatagrams}", "datagrams to buffer while waking", UdpSpec.DefaultHoldDatagrams, int.MaxValue);
            ok &= parsed is not null;
            udp = udp with { HoldDatagrams = (int)(parsed ?? udp.HoldDatagrams) };
        }

        if (entries.TryGetValue(SpecKeys.HoldBytes, out var bytes))
        {
            var parsed = ReadPositive(bytes.Value, $"{SpecKeys.Udp}.{SpecKeys.HoldBytes}", "payload bytes to buffer while waking", UdpSpec.DefaultHoldBytes, long.MaxValue);
            ok &= parsed is not null;
            udp = udp with { HoldBytes = parsed ?? udp.HoldBytes };
        }

        if (entries.TryGetValue(SpecKeys.MaxFlows, out var flows))
        {
            var parsed = ReadPositive(flows.Value, $"{SpecKeys.Udp}.{SpecKeys.MaxFlows}", "client flows per udp port (the one idle longest is evicted past it)", UdpSpec.DefaultMaxFlows, UdpSpec.MaxMaxFlows);
            ok &= parsed is not null;
            udp = udp with { MaxFlows = (int)(parsed ?? udp.MaxFlows) };
        }

        return ok ? udp : null;
    }

    private TimeSpan? ParseFlowIdle(YamlNode node)
    {
        const string key = $"{SpecKeys.Udp}.{SpecKeys.FlowIdle}";
        var text = ReadString(node, key, "a duration like 30s");
        if (text is null)
        {
            return null;
        }

        if (!Duration.TryParse(text, out var value, out var problem))
        {
            Error(node, $"{key}: {problem}");
            return null;
        }

        if (value <= TimeSpan.Zero)
        {
            Error(node, $"{key}: \"{text}\" must be more than zero; a flow needs time for its reply, e.g. 30s");
            return null;
        }

        return value;
    }

    private long? ReadPositive(YamlNode node, string key, string what, long example, long max)
    {
        var text = ReadString(node, key, $"a positive integer like {example}");
        if (text is null)
        {
            return null;
        }

        if (!Digits().IsMatch(text) || !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) || value < 1 || value > max)
        {
            Error(node, $"{key}: \"{text}\" is not a positive integer up to {max}; give the most {what}, e.g. {example}");
            return null;
        }

        return value;
    }
}
