using System.Text.RegularExpressions;
using Podwake.Host;
using Podwake.Specs;

namespace Podwake.Sidecars;

/// <summary>Which key a call belongs to, as <c>sidecar.key</c> says; decided here only (the wrapper records, sync decides).</summary>
internal static class SidecarKeys
{
    /// <summary>Where <c>ip netns add NAME</c> puts a network namespace (a bind mount of its nsfs file).</summary>
    public const string NetnsDirectory = "/run/netns";

    /// <summary>The call's key, or null with why not (which goes back to the caller).</summary>
    /// <param name="netnsNamed">The name under /run/netns of a namespace inode; null when none is.</param>
    public static string? Derive(SidecarKey key, SidecarCall call, Func<ulong, string?> netnsNamed, out string? problem)
    {
        problem = null;
        string? value;
        switch (key.Kind)
        {
            case SidecarKeyKind.Netns:
                if (call.NetnsInode is not { } inode)
                {
                    problem = "the wrapper could not read its network namespace (/proc/self/ns/net)";
                    return null;
                }

                value = netnsNamed(inode);
                if (value is null)
                {
                    problem = $"the caller is not in a named network namespace (none of {NetnsDirectory}/*): call it with ip netns exec NAME";
                    return null;
                }

                break;
            case SidecarKeyKind.Env:
                if (!call.Environment.TryGetValue(key.Variable!, out value) || value.Length == 0)
                {
                    problem = $"the caller's environment has no {key.Variable} (sidecar.key is {key})";
                    return null;
                }

                break;
            default:
                value = MatchArgument(key.Pattern!, call.Arguments);
                if (value is null)
                {
                    problem = $"no argument matches {key.Pattern} (sidecar.key is {key})";
                    return null;
                }

                break;
        }

        problem = SidecarNames.Problem(value);
        return problem is null ? value : null;
    }

    /// <summary>The first argument the expression matches: its first group, or the whole match when it has none.</summary>
    public static string? MatchArgument(Regex pattern, IReadOnlyList<string> arguments)
    {
        foreach (var argument in arguments)
        {
            Match match;
            try
            {
                match = pattern.Match(argument);
            }
            catch (RegexMatchTimeoutException)
            {
                continue;
            }

            if (match.Success)
            {
                var value = match.Groups.Count > 1 && match.Groups[1].Success ? match.Groups[1].Value : match.Value;
                if (value.Length > 0)
                {
                    return value;
                }
            }
        }

        return null;
    }

    /// <summary>The name in /run/netns whose namespace has <paramref name="inode"/>, as <c>ip netns identify</c> finds it.</summary>
    public static string? NetnsNamed(ulong inode)
    {
        if (!Directory.Exists(NetnsDirectory))
        {
            return null;
        }

        foreach (var path in Directory.EnumerateFiles(NetnsDirectory))
        {
            try
            {
                if (NativeFiles.Stat(path) is { } stat && stat.Inode == inode)
                {
                    return Path.GetFileName(path);
                }
            }
            catch (IOException)
            {
                // A namespace deleted while we looked; not this one.
            }
        }

        return null;
    }
}
