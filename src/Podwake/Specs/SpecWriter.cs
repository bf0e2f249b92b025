using System.Globalization;
using System.Net;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Podwake.Specs;

/// <summary>
/// Writes a loaded <see cref="ServiceSpec"/> back as a service file that <see cref="SpecLoader"/> reads to an equal spec:
/// the copy <c>podwake deploy</c> keeps for the activator (<c>%E/podwake/services/NAME.yaml</c>).
/// </summary>
/// <remarks>
/// Every path is absolute already (the loader resolved them), so the copy loads wherever it sits. Strings are written
/// double-quoted: YAML then keeps spaces, quotes, <c>$</c>, <c>%</c>, <c>\</c>, <c>;</c> and <c>#</c> as they are, and
/// words like <c>no</c> or <c>8080</c> stay strings. Built on the representation model, which works under NativeAOT.
/// </remarks>
internal static class SpecWriter
{
    public const string Header = "# Written by podwake deploy from the service file; edit that file and deploy again instead.";

    public static string Write(ServiceSpec spec)
    {
        var root = new YamlMappingNode();
        Add(root, SpecKeys.Name, Text(spec.Name));
        if (spec.Image is { } image)
        {
            Add(root, SpecKeys.Image, Text(image));
        }

        if (spec.Build is { } build)
        {
            var node = new YamlMappingNode();
            Add(node, SpecKeys.Context, Text(build.Context));
            if (build.Containerfile is { } containerfile)
            {
                Add(node, SpecKeys.Containerfile, Text(containerfile));
            }

            if (build.Args.Count > 0)
            {
                Add(node, SpecKeys.Args, Variables(build.Args));
            }

            Add(root, SpecKeys.Build, node);
        }

        if (spec.Command is { } command)
        {
            Add(root, SpecKeys.Command, List(command));
        }

        if (spec.Env.Count > 0)
        {
            Add(root, SpecKeys.Env, Variables(spec.Env));
        }

        if (spec.EnvFiles.Count > 0)
        {
            Add(root, SpecKeys.EnvFile, List(spec.EnvFiles.Select(f => f.Path)));
        }

        if (spec.Secrets.Count > 0)
        {
            Add(root, SpecKeys.Secrets, Secrets(spec.Secrets));
        }

        if (spec.Volumes.Count > 0)
        {
            Add(root, SpecKeys.Volumes, List(spec.Volumes.Select(Volume)));
        }

        if (spec.User is { } containerUser)
        {
            Add(root, SpecKeys.User, Text(containerUser));
        }

        if (!spec.Resources.IsEmpty)
        {
            Add(root, SpecKeys.Resources, Resources(spec.Resources));
        }

        if (spec.PodmanArgs.Count > 0)
        {
            Add(root, SpecKeys.PodmanArgs, List(spec.PodmanArgs));
        }

        if (spec.Sidecar is { } sidecar)
        {
            // The loader refuses the listener keys (ports, idle, ready, hold, udp, expose), update and user on a side-car
            // service: none of them is written.
            Add(root, SpecKeys.Restart, Text(spec.Restart.ToText()));
            Add(root, SpecKeys.Sidecar, Sidecar(sidecar));
            return Save(root);
        }

        var ports = new YamlSequenceNode();
        foreach (var port in spec.Ports)
        {
            var node = new YamlMappingNode();
            Add(node, SpecKeys.Listen, Text(port.ListenText));
            Add(node, SpecKeys.Container, Number(port.ContainerPort));
            Add(node, SpecKeys.Protocol, Text(port.Protocol.ToText()));
            if (port.Unix is { IsAbstract: false } unix)
            {
                Add(node, SpecKeys.Mode, Text(unix.ModeText));
                if (unix.OwnerText is { } owner)
                {
                    Add(node, SpecKeys.Owner, Text(owner));
                }
            }
            ports.Add(node);
        }

        Add(root, SpecKeys.Ports, ports);
        Add(root, SpecKeys.Idle, Text(spec.Idle is { } idle ? Duration.Format(idle) : "never"));
        Add(root, SpecKeys.Ready, Ready(spec.Ready));
        Add(root, SpecKeys.Restart, Text(spec.Restart.ToText()));
        if (spec.Pod is null)
        {
            // The loader refuses update: on a pod: service (its images are the pod file's).
            Add(root, SpecKeys.Update, Text(spec.Update.ToText()));
        }
        if (spec.RunAs is { } user)
        {
            Add(root, SpecKeys.RunAs, Text(user));
        }

        if (spec.Expose.Count > 0)
        {
            var expose = new YamlSequenceNode();
            foreach (var item in spec.Expose)
            {
                var node = new YamlMappingNode();
                Add(node, SpecKeys.Listen, Text(Address(item.Listen)));
                Add(node, SpecKeys.To, Number(item.To));
                expose.Add(node);
            }

            Add(root, SpecKeys.Expose, expose);
        }

        if (spec.Pod is { } pod)
        {
            Add(root, SpecKeys.Pod, Text(pod));
        }

        Add(root, SpecKeys.Hold, Number(spec.Hold));
        if (spec.Ports.Any(p => p.Protocol == Protocol.Udp))
        {
            // Only with a udp port: the loader refuses udp: on a service without one.
            var udp = new YamlMappingNode();
            Add(udp, SpecKeys.FlowIdle, Text(Duration.Format(spec.Udp.FlowIdle)));
            Add(udp, SpecKeys.HoldDatagrams, Number(spec.Udp.HoldDatagrams));
            Add(udp, SpecKeys.HoldBytes, Number(spec.Udp.HoldBytes));
            Add(udp, SpecKeys.MaxFlows, Number(spec.Udp.MaxFlows));
            Add(root, SpecKeys.Udp, udp);
        }

        return Save(root);
    }

    private static string Save(YamlMappingNode root)
    {
        var writer = new StringWriter(CultureInfo.InvariantCulture) { NewLine = "\n" };
        writer.WriteLine(Header);
        new YamlStream(new YamlDocument(root)).Save(writer, assignAnchors: false);
        var text = writer.ToString();

        // YamlStream.Save ends the document with "...": harmless, but noise in a file people read.
        return text.EndsWith("...\n", StringComparison.Ordinal) ? text[..^4] : text;
    }

    private static YamlMappingNode Sidecar(SidecarSpec sidecar)
    {
        var node = new YamlMappingNode();
        Add(node, SpecKeys.Wrapper, Text(sidecar.Wrapper));
        Add(node, SpecKeys.Command, List(sidecar.Command));
        Add(node, SpecKeys.Key, Text(sidecar.Key.ToString()));
        if (sidecar.PassEnv.Count > 0)
        {
            Add(node, SpecKeys.PassEnv, List(sidecar.PassEnv));
        }

        Add(node, SpecKeys.Foreground, new YamlScalarNode(sidecar.Foreground ? "true" : "false") { Style = ScalarStyle.Plain });
        Add(node, SpecKeys.Timeout, Text(Duration.Format(sidecar.Timeout)));
        return node;
    }

    /// <summary>The form <see cref="ListenAddress"/> reads: <c>127.0.0.1:8080</c>, <c>[::1]:8080</c>.</summary>
    internal static string Address(IPEndPoint endpoint) => ListenAddress.Format(endpoint);

    private static YamlMappingNode Ready(ReadySpec ready)
    {
        var node = new YamlMappingNode();
        var probe = ready.Kind.ToText();
        switch (ready.Kind)
        {
            case ReadyKind.Tcp or ReadyKind.Udp:
                Add(node, probe, Number(ready.Port));
                break;
            case ReadyKind.Exec:
                Add(node, probe, List(ready.Exec ?? []));
                break;
            case ReadyKind.Http:
                Add(node, probe, Text(ready.HttpPath ?? "/"));
                Add(node, SpecKeys.Port, Number(ready.Port));
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(ready), ready.Kind, "unknown readiness kind");
        }

        Add(node, SpecKeys.Timeout, Text(Duration.Format(ready.Timeout)));
        return node;
    }

    private static string Volume(VolumeSpec volume) =>
        volume.Options.Count == 0 ? $"{volume.Source}:{volume.Target}" : $"{volume.Source}:{volume.Target}:{string.Join(',', volume.Options)}";

    private static YamlSequenceNode Secrets(IEnumerable<SecretSpec> secrets)
    {
        var list = new YamlSequenceNode();
        foreach (var secret in secrets)
        {
            var node = new YamlMappingNode();
            Add(node, SpecKeys.Name, Text(secret.Name));
            if (secret.File is { } file)
            {
                Add(node, SpecKeys.File, Text(file));
            }

            Add(node, secret.Env is null ? SpecKeys.Target : SpecKeys.Env, Text(secret.Env ?? secret.Target!));
            list.Add(node);
        }

        return list;
    }

    private static YamlMappingNode Resources(ResourceSpec resources)
    {
        var node = new YamlMappingNode();
        if (resources.MemoryBytes is { } memory)
        {
            Add(node, SpecKeys.Memory, Text(memory.ToString(CultureInfo.InvariantCulture)));
        }

        if (resources.Cpus is { } cpus)
        {
            Add(node, SpecKeys.Cpus, Text(cpus.ToString(CultureInfo.InvariantCulture)));
        }

        if (resources.Pids is { } pids)
        {
            Add(node, SpecKeys.Pids, Text(pids.ToString(CultureInfo.InvariantCulture)));
        }

        return node;
    }

    private static YamlMappingNode Variables(IReadOnlyDictionary<string, string> variables)
    {
        var node = new YamlMappingNode();
        foreach (var (name, value) in variables.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            node.Add(Text(name), Text(value));
        }

        return node;
    }

    private static YamlSequenceNode List(IEnumerable<string> items)
    {
        var node = new YamlSequenceNode();
        foreach (var item in items)
        {
            node.Add(Text(item));
        }

        return node;
    }

    private static void Add(YamlMappingNode map, string key, YamlNode value) => map.Add(new YamlScalarNode(key), value);

    private static YamlScalarNode Text(string value) => new(value) { Style = ScalarStyle.DoubleQuoted };

    private static YamlScalarNode Number(long value) => new(value.ToString(CultureInfo.InvariantCulture)) { Style = ScalarStyle.Plain };
}
