using System.Globalization;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Podwake.Specs;

/// <summary>How the container runs: <c>user:</c>, <c>run_as:</c>, <c>resources:</c> and <c>podman_args:</c>.</summary>
internal sealed partial class ServiceParser
{
    /// <summary>Finds a host account's UID and comment by name (tests pass their own); null = no such account.</summary>
    public Func<string, (int Uid, string Comment)?> HostAccount { get; init; } = HostAccounts.Find;

    /// <summary>The comment deploy gives the accounts it creates (useradd --comment).</summary>
    public const string ServiceAccountComment = "podwake service";

    private string? ParseRunAs(YamlNode key, YamlNode node)
    {
        var user = ReadString(node, SpecKeys.RunAs, "a host account name like web");
        if (user is not null && !UserPattern().IsMatch(user))
        {
            Error(node, $"run_as: \"{user}\" is not a valid account name; use up to 32 lowercase letters, digits, '_' and '-', starting with a letter or '_'");
            user = null;
        }

        ReportIfNotSupported(SpecFeature.RunAs, key);
        return user;
    }

    /// <summary>
    /// <c>user:</c> — the user inside the container (podman's <c>--user</c>, compose's and Quadlet's meaning). Until
    /// this version it named the host account that runs the service: a file still written that way names an account
    /// deploy made (or a login account) and has no <c>run_as:</c>; it gets an error saying to write <c>run_as:</c>.
    /// </summary>
    private string? ParseContainerUser(YamlNode node, bool hasRunAs)
    {
        var user = ReadString(node, SpecKeys.User, "a user inside the container like \"1000\" or \"app:app\"");
        if (user is null)
        {
            return null;
        }

        if (!ContainerUserPattern().IsMatch(user))
        {
            Error(node, $"user: \"{user}\" is not a user podman can run the container as; write a name or UID, optionally with a group: \"1000\", \"1000:1000\", \"app\" or \"app:app\"");
            return null;
        }

        if (!hasRunAs && !Digits().IsMatch(user) && !user.Contains(':', StringComparison.Ordinal)
            && HostAccount(user) is { } account && (account.Comment == ServiceAccountComment || account.Uid >= 1000))
        {
            Error(node, $"user: \"{user}\" names a host account, and user: is now the user inside the container (as in compose and Quadlet); "
                        + $"to run the service rootless as host account {user}, write run_as: {user} instead; "
                        + $"to mean a user inside the image, give its UID (user: \"{account.Uid.ToString(CultureInfo.InvariantCulture)}\") or name:group");
            return null;
        }

        return user;
    }

    private ResourceSpec? ParseResources(YamlNode node)
    {
        var map = ReadMapping(node, SpecKeys.Resources, "a mapping like { memory: 256m, cpus: 0.5, pids: 512 }");
        if (map is null)
        {
            return null;
        }

        var entries = Entries(map, SpecKeys.Resources, SpecKeys.ResourcesMapping);
        var resources = new ResourceSpec();
        var ok = true;
        if (entries.TryGetValue(SpecKeys.Memory, out var memory))
        {
            var bytes = ReadMemory(memory.Value);
            ok &= bytes is not null;
            resources = resources with { MemoryBytes = bytes };
        }

        if (entries.TryGetValue(SpecKeys.Cpus, out var cpus))
        {
            var text = ReadString(cpus.Value, "resources.cpus", "a number of CPUs like 0.5");
            if (text is not null && (!decimal.TryParse(text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value) || value < 0.01m || value > 1024m))
            {
                Error(cpus.Value, $"resources.cpus: \"{text}\" is not a number of CPUs; write one from 0.01 to 1024, e.g. cpus: 0.5 (half of one CPU's time)");
                text = null;
            }

            ok &= text is not null;
            resources = resources with { Cpus = text is null ? null : decimal.Parse(text, CultureInfo.InvariantCulture) };
        }

        if (entries.TryGetValue(SpecKeys.Pids, out var pids))
        {
            var value = ReadPositive(pids.Value, "resources.pids", "processes and threads", 512, 4_194_304);
            ok &= value is not null;
            resources = resources with { Pids = value };
        }

        return ok ? resources : null;
    }

    /// <summary>podman's memory sizes: a number of bytes, or with b, k, m or g (1024-based), at least 6 MiB as podman requires.</summary>
    private long? ReadMemory(YamlNode node)
    {
        const long Minimum = 6L * 1024 * 1024;
        var text = ReadString(node, "resources.memory", "a size like 256m");
        if (text is null)
        {
            return null;
        }

        var match = MemoryPattern().Match(text);
        if (!match.Success || !long.TryParse(match.Groups[1].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            Error(node, $"resources.memory: \"{text}\" is not a size; write a number with b, k, m or g (powers of 1024), e.g. memory: 256m");
            return null;
        }

        var unit = match.Groups[2].Value.ToLowerInvariant() switch { "k" => 1024L, "m" => 1024L * 1024, "g" => 1024L * 1024 * 1024, _ => 1L };
        if (number > long.MaxValue / unit || number * unit < Minimum)
        {
            Error(node, $"resources.memory: {text} is {(number > long.MaxValue / unit ? "too large" : "below podman's minimum of 6m")}; give at least 6m, e.g. memory: 256m");
            return null;
        }

        return number * unit;
    }

    [GeneratedRegex(@"^([0-9]+)([bkmgBKMG]?)\z")]
    private static partial Regex MemoryPattern();

    /// <summary>NAME, UID, NAME:GROUP or UID:GID (podman-run(1), --user).</summary>
    [GeneratedRegex(@"^([a-z_][a-z0-9_.-]{0,31}\$?|[0-9]{1,10})(:([a-z_][a-z0-9_.-]{0,31}|[0-9]{1,10}))?\z")]
    private static partial Regex ContainerUserPattern();
}
