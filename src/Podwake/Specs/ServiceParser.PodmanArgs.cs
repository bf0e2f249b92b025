using YamlDotNet.RepresentationModel;

namespace Podwake.Specs;

/// <summary><c>podman_args:</c> — options added to <c>podman create</c>, as Quadlet's <c>PodmanArgs=</c>.</summary>
internal sealed partial class ServiceParser
{
    /// <summary>
    /// Options podwake sets itself, or that would break what it does (the container's name and labels it finds it by,
    /// the network it proxies into, the published ports it reads back, the stop and cleanup it drives), each with the
    /// key to use instead. Long names; the short ones are in <see cref="OwnedShortOptions"/>.
    /// </summary>
    private static readonly Dictionary<string, string> OwnedOptions = new(StringComparer.Ordinal)
    {
        ["--name"] = "podwake names the container podwake-NAME after name:",
        ["--network"] = "podwake puts the container in its network namespace and proxies into it",
        ["--net"] = "podwake puts the container in its network namespace and proxies into it",
        ["--publish"] = "ports: says where clients connect; podwake publishes what it needs itself",
        ["--publish-all"] = "ports: says where clients connect; podwake publishes what it needs itself",
        ["--pod"] = "use pod: for a Kubernetes pod file",
        ["--rm"] = "podwake keeps the container between wakes and removes it itself",
        ["--replace"] = "podwake replaces its own container when the service changes",
        ["--restart"] = "use restart:",
        ["--detach"] = "podwake starts the container itself",
        ["--interactive"] = "the container has no terminal; podwake starts it itself",
        ["--tty"] = "the container has no terminal; podwake starts it itself",
        ["--conmon-pidfile"] = "the container unit tracks conmon by the pidfile podwake sets",
        ["--pidfile"] = "the container unit tracks the container by the pidfile podwake sets",
        ["--sdnotify"] = "the container unit's start is podman start's, not a notify",
        ["--stop-timeout"] = "podwake sets the stop timeout it waits for",
        ["--env"] = "use env:",
        ["--env-file"] = "use env_file:",
        ["--secret"] = "use secrets:",
        ["--user"] = "use user:",
        ["--volume"] = "use volumes:",
        ["--memory"] = "use resources.memory",
        ["--cpus"] = "use resources.cpus",
        ["--pids-limit"] = "use resources.pids",
        ["--label"] = "podwake finds its containers by their labels; put your own labels in the image",
    };

    private static readonly Dictionary<char, string> OwnedShortOptions = new()
    {
        ['p'] = "--publish", ['P'] = "--publish-all", ['d'] = "--detach", ['i'] = "--interactive", ['t'] = "--tty",
        ['e'] = "--env", ['u'] = "--user", ['v'] = "--volume", ['m'] = "--memory", ['l'] = "--label",
    };

    private List<string>? ParsePodmanArgs(YamlNode node)
    {
        var sequence = ReadSequence(node, SpecKeys.PodmanArgs, "a list of podman create options", ", like [--cap-drop=ALL, --read-only]");
        if (sequence is null)
        {
            return null;
        }

        var args = new List<string>();
        var ok = true;
        for (var i = 0; i < sequence.Children.Count; i++)
        {
            var item = sequence.Children[i];
            var key = $"{SpecKeys.PodmanArgs}[{i}]";
            var arg = ReadString(item, key, "an option like --cap-drop=ALL");
            if (arg is null)
            {
                ok = false;
                continue;
            }

            if (i == 0 && !arg.StartsWith('-'))
            {
                Error(item, $"{key}: \"{arg}\" is not an option; podman_args are podman create options (placed before the image), like --cap-drop=ALL; the container's command goes in command:");
                ok = false;
            }
            else if (Owned(arg) is { } owned)
            {
                Error(item, $"{key}: {owned.Option} is podwake's to set: {owned.Why}; remove it from podman_args");
                ok = false;
            }

            args.Add(arg);
        }

        return ok ? args : null;
    }

    /// <summary>The option <paramref name="arg"/> sets when podwake owns it (<c>--network=host</c>, <c>-p8080:80</c>, <c>-dit</c>...).</summary>
    private static (string Option, string Why)? Owned(string arg)
    {
        if (arg.StartsWith("--", StringComparison.Ordinal))
        {
            var name = arg.Split('=', 2)[0];
            return OwnedOptions.TryGetValue(name, out var why) ? (name, why) : null;
        }

        if (arg.Length >= 2 && arg[0] == '-')
        {
            // Short flags combine (-dit), and one that takes a value may have it attached (-p8080:80, -w/app): the letters
            // after a valued option are its value, not options.
            foreach (var letter in arg[1..])
            {
                if (OwnedShortOptions.TryGetValue(letter, out var name))
                {
                    return ($"-{letter} ({name})", OwnedOptions[name]);
                }

                if (!"dqt".Contains(letter, StringComparison.Ordinal))
                {
                    break;
                }
            }
        }

        return null;
    }
}
