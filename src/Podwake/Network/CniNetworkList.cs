using System.Text.Json;
using System.Text.Json.Nodes;

namespace Podwake.Network;

/// <summary>
/// A CNI network configuration list (<c>*.conflist</c>, the CNI spec's "network configuration list"): the network's
/// name, the spec version its plugins speak and the plugins in the order ADD runs them. podman's CNI backend writes
/// one per network into <see cref="RootConfigDirectory"/> (the default network is <c>podman</c>, 87-podman-bridge.conflist).
/// </summary>
internal sealed record CniNetworkList(string Name, string CniVersion, IReadOnlyList<JsonObject> Plugins, string Path)
{
    /// <summary>podman's <c>network_config_dir</c> for rootful CNI networks (containers.conf(5)).</summary>
    public const string RootConfigDirectory = "/etc/cni/net.d";

    /// <summary>The list named <paramref name="name"/> in <paramref name="directory"/>, or null when there is none.</summary>
    /// <remarks>Files are read in name order, as libcni does; one that does not parse is skipped, as libcni skips it.</remarks>
    public static CniNetworkList? Find(string name, string directory = RootConfigDirectory)
    {
        if (!Directory.Exists(directory))
        {
            return null;
        }

        foreach (var path in Directory.EnumerateFiles(directory, "*.conflist").Order(StringComparer.Ordinal))
        {
            if (TryParse(File.ReadAllText(path), path) is { } list && list.Name == name)
            {
                return list;
            }
        }

        return null;
    }

    /// <summary>The list in <paramref name="json"/>, or null when it is not one (no name, no plugins, not JSON).</summary>
    public static CniNetworkList? TryParse(string json, string path)
    {
        try
        {
            if (JsonNode.Parse(json) is not JsonObject root
                || root["name"]?.GetValueKind() != JsonValueKind.String
                || root["plugins"] is not JsonArray plugins
                || plugins.Count == 0
                || plugins.Any(p => p is not JsonObject { } o || o["type"]?.GetValueKind() != JsonValueKind.String))
            {
                return null;
            }

            var version = root["cniVersion"]?.GetValueKind() == JsonValueKind.String ? root["cniVersion"]!.GetValue<string>() : "0.4.0";
            return new CniNetworkList(root["name"]!.GetValue<string>(), version, plugins.Select(p => (JsonObject)p!).ToList(), path);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>
    /// What plugin <paramref name="index"/> reads on stdin: its own object with the list's name and version, and the
    /// result of the plugin before it (CNI spec, "Network configuration list runtime semantics").
    /// </summary>
    public string PluginInput(int index, JsonNode? previousResult)
    {
        var config = (JsonObject)Plugins[index].DeepClone();
        config["cniVersion"] = CniVersion;
        config["name"] = Name;
        config.Remove("prevResult");
        if (previousResult is not null)
        {
            config["prevResult"] = previousResult.DeepClone();
        }

        return config.ToJsonString();
    }

    public string PluginType(int index) => Plugins[index]["type"]!.GetValue<string>();
}
