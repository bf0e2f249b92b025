using YamlDotNet.RepresentationModel;

namespace Podwake.Specs;

/// <summary>
/// <c>sidecar:</c>, a command-activated side-car service: no listeners; each call of a wrapper runs the call in a
/// container of the service's image, one container per key.
/// </summary>
internal sealed partial class ServiceParser
{
    private const string SidecarExample = "{wrapper: /var/lib/neutron/dnsmasq-wrapper, command: [/usr/sbin/dnsmasq, -k], key: netns}";

    /// <summary>File systems the kernel provides: a wrapper written there would vanish at reboot or cannot be written at all.</summary>
    private static readonly string[] KernelFileSystems = ["/proc", "/sys", "/dev"];

    /// <summary>
    /// Service keys a side-car service cannot have, with the fix: it has no listeners (calls of its wrapper start its
    /// containers), its container's command is <c>sidecar.command</c>, and deploy does not yet update it or run it for
    /// another account.
    /// </summary>
    private static readonly (string Key, string Fix)[] NotForSidecars =
    [
        (SpecKeys.Command, "a sidecar: service's containers run sidecar.command, followed by the call's arguments; move the list to sidecar.command"),
        (SpecKeys.Ports, "a sidecar: service has no listeners (calls of its wrapper start its containers, one per key); remove ports:"),
        (SpecKeys.Idle, "a sidecar: service has no listeners to be idle on (a key's container runs until its key leaves the list); remove idle:"),
        (SpecKeys.Ready, "a sidecar: service has no listeners to gate: a call returns once its key's container runs; remove ready: (sidecar.timeout sets how long a call waits)"),
        (SpecKeys.Update, "updates of sidecar: services are not supported yet; remove update:, and to run a new image, change image: and deploy (or serve) the service again"),
        (SpecKeys.RunAs, "deploying a sidecar: service for another account is not supported yet; remove run_as: and run podwake deploy as that user"),
        (SpecKeys.Secrets, "secrets for sidecar: services are not supported yet; mount the value with volumes: (a file only the service's account can read)"),
        (SpecKeys.PodmanArgs, "podman_args for sidecar: services are not supported yet (their containers are created through podman's API); remove podman_args:"),
        (SpecKeys.Expose, "a sidecar: service has no listeners to forward to; remove expose:"),
        (SpecKeys.Pod, "a sidecar: service runs its image in one container per key, not a pod; use image: instead"),
        (SpecKeys.Hold, "a sidecar: service has no listeners, so no connections to hold; remove hold:"),
        (SpecKeys.Udp, "a sidecar: service has no listeners, so no udp flows; remove udp:"),
    ];

    /// <summary>
    /// Reports each key of <see cref="NotForSidecars"/> at the key and drops it from <paramref name="entries"/>, so that
    /// nothing else reads it (no second error about its value, no "ports is required"); then reads <c>sidecar:</c>.
    /// </summary>
    private SidecarSpec? ParseSidecarService(YamlNode key, YamlNode node, Dictionary<string, (YamlNode Key, YamlNode Value)> entries)
    {
        foreach (var (name, fix) in NotForSidecars)
        {
            if (entries.Remove(name, out var entry))
            {
                Error(entry.Key, $"{name}: {fix}");
            }
        }

        return ParseSidecar(key, node);
    }

    /// <summary>
    /// A side-car service's <see cref="ServiceSpec.Ready"/>: no port to probe (its container counts as ready once it runs,
    /// which is what sync answers a call), so a TCP probe of port 0 that nothing runs; the timeout is the call's.
    /// </summary>
    private static ReadySpec SidecarReady(SidecarSpec sidecar) => new() { Kind = ReadyKind.Tcp, Port = 0, Timeout = sidecar.Timeout };

    private SidecarSpec? ParseSidecar(YamlNode key, YamlNode node)
    {
        var map = ReadMapping(node, SpecKeys.Sidecar, $"a mapping like {SidecarExample}");
        if (map is null)
        {
            return null;
        }

        var entries = Entries(map, SpecKeys.Sidecar, SpecKeys.SidecarMapping);
        string? wrapper = null;
        if (entries.TryGetValue(SpecKeys.Wrapper, out var wrapperEntry))
        {
            wrapper = ParseWrapper(wrapperEntry.Value);
        }
        else
        {
            Error(map, "sidecar: wrapper is required; the absolute path where podwake writes the executable that callers run, e.g. wrapper: /var/lib/neutron/dnsmasq-wrapper");
        }

        List<string>? command = null;
        if (entries.TryGetValue(SpecKeys.Command, out var commandEntry))
        {
            command = ReadCommandLine(commandEntry.Value, "sidecar.command", "[/usr/sbin/dnsmasq, -k]");
        }
        else
        {
            Error(map, "sidecar: command is required; what each container runs, the call's arguments following it, e.g. command: [/usr/sbin/dnsmasq, -k]");
        }

        SidecarKey? sidecarKey = null;
        if (entries.TryGetValue(SpecKeys.Key, out var keyEntry))
        {
            sidecarKey = ParseSidecarKey(keyEntry.Value);
        }
        else
        {
            Error(map, $"sidecar: key is required; which container a call belongs to: {KeyForms}, e.g. key: netns (the caller's network namespace)");
        }

        var ok = true;
        List<string> passEnv = [];
        if (entries.TryGetValue(SpecKeys.PassEnv, out var passEnvEntry))
        {
            var parsed = ParsePassEnv(passEnvEntry.Value);
            ok &= parsed is not null;
            passEnv = parsed ?? passEnv;
        }

        var foreground = false;
        if (entries.TryGetValue(SpecKeys.Foreground, out var foregroundEntry))
        {
            var parsed = ParseForeground(foregroundEntry.Value);
            ok &= parsed is not null;
            foreground = parsed ?? foreground;
        }

        var timeout = SidecarSpec.DefaultTimeout;
        if (entries.TryGetValue(SpecKeys.Timeout, out var timeoutEntry))
        {
            var parsed = ParseSidecarTimeout(timeoutEntry.Value);
            ok &= parsed is not null;
            timeout = parsed ?? timeout;
        }

        return ok && wrapper is not null && command is not null && sidecarKey is not null
            ? new SidecarSpec
            {
                Wrapper = wrapper,
                Command = command,
                Key = sidecarKey,
                PassEnv = passEnv,
                Foreground = foreground,
                Timeout = timeout,
                Location = At(key),
            }
            : null;
    }

    /// <summary>An absolute file path outside the kernel's file systems, normalised (<c>..</c> and <c>//</c> resolved).</summary>
    private string? ParseWrapper(YamlNode node)
    {
        const string key = "sidecar.wrapper";
        var text = ReadString(node, key, "an absolute path like /var/lib/neutron/dnsmasq-wrapper");
        if (text is null)
        {
            return null;
        }

        if (text.Any(char.IsControl))
        {
            Error(node, $"{key}: contains a control character (a newline or tab, say), which no path a program is called by should hold; write the path alone");
            return null;
        }

        if (!text.StartsWith('/'))
        {
            Error(node, $"{key}: \"{text}\" is not an absolute path; give the full path where callers run the wrapper, e.g. /var/lib/neutron/dnsmasq-wrapper");
            return null;
        }

        var full = Path.GetFullPath(text);
        if (text.EndsWith('/') || full == "/")
        {
            Error(node, $"{key}: \"{text}\" names a folder; give the path of the wrapper file itself, e.g. {full.TrimEnd('/')}/dnsmasq-wrapper");
            return null;
        }

        if (KernelFileSystems.FirstOrDefault(k => full == k || full.StartsWith(k + "/", StringComparison.Ordinal)) is { } kernel)
        {
            Error(node, $"{key}: {full} is inside {kernel}, which the kernel provides, not a place for a program; choose another path, e.g. /var/lib/neutron/dnsmasq-wrapper");
            return null;
        }

        return full;
    }

    private bool? ParseForeground(YamlNode node)
    {
        const string key = "sidecar.foreground";
        var text = ReadString(node, key, "true or false");
        switch (text)
        {
            case null:
                return null;
            case "true" or "True" or "TRUE":
                return true;
            case "false" or "False" or "FALSE":
                return false;
            default:
                Error(node, $"{key}: \"{text}\" is not true or false; write true to have each call wait for its container to exit and pass back its exit code, stdout and stderr, or false (the default) to return once it runs");
                return null;
        }
    }

    private TimeSpan? ParseSidecarTimeout(YamlNode node)
    {
        const string key = "sidecar.timeout";
        var text = ReadString(node, key, "a duration like 30s");
        if (text is null)
        {
            return null;
        }

        if (!Duration.TryParse(text, out var timeout, out var problem))
        {
            Error(node, $"{key}: {problem}");
            return null;
        }

        if (timeout <= TimeSpan.Zero)
        {
            Error(node, $"{key}: \"{text}\" must be more than zero; a call needs time for its container to start, e.g. 30s");
            return null;
        }

        return timeout;
    }
}
