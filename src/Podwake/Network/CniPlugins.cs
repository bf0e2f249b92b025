using System.Text.Json;
using System.Text.Json.Nodes;
using Podwake.Host;

namespace Podwake.Network;

/// <summary>
/// Runs a <see cref="CniNetworkList"/>'s plugins the way a CNI runtime does (CNI spec, "Execution protocol"): each
/// plugin binary with <c>CNI_COMMAND</c>, <c>CNI_CONTAINERID</c>, <c>CNI_NETNS</c>, <c>CNI_IFNAME</c> and
/// <c>CNI_PATH</c> in its environment and its configuration on stdin. ADD runs them in order, each given the result of
/// the one before; DEL runs them in reverse with the ADD result. The plugins are podman's own (the host's
/// containernetworking-plugins), so the namespace gets exactly what <c>podman start</c> would have set up.
/// </summary>
internal sealed class CniPlugins
{
    /// <summary>podman's default <c>cni_plugin_dirs</c> (containers.conf(5)); Debian installs them in /usr/lib/cni.</summary>
    public static readonly IReadOnlyList<string> DefaultDirectories =
        ["/usr/local/libexec/cni", "/usr/libexec/cni", "/usr/local/lib/cni", "/usr/lib/cni", "/opt/cni/bin"];

    private readonly IReadOnlyList<string> _directories;

    public CniPlugins(IReadOnlyList<string>? directories = null)
    {
        _directories = directories ?? DefaultDirectories;
    }

    /// <summary>Every plugin of <paramref name="list"/> has a binary here.</summary>
    public bool HasAll(CniNetworkList list) =>
        Enumerable.Range(0, list.Plugins.Count).All(i => Locate(list.PluginType(i)) is not null);

    /// <summary>Attaches the namespace; on a plugin's failure, detaches what the ones before it did and throws.</summary>
    /// <returns>The last plugin's result: DEL needs it.</returns>
    /// <exception cref="EnvironmentException">A plugin is missing or failed; the message is the plugin's own.</exception>
    public async Task<JsonNode> AddAsync(CniNetworkList list, CniAttachment attachment, CancellationToken cancellationToken = default)
    {
        JsonNode? result = null;
        for (var i = 0; i < list.Plugins.Count; i++)
        {
            var outcome = await RunAsync("ADD", list, i, attachment, result, cancellationToken).ConfigureAwait(false);
            if (outcome.Error is { } error)
            {
                await DelAsync(list, attachment, result, CancellationToken.None).ConfigureAwait(false);
                throw new EnvironmentException($"Failed to attach {attachment.NetnsPath} to the CNI network {list.Name} ({list.Path}): {error}");
            }

            result = outcome.Result ?? result;
        }

        return result ?? new JsonObject();
    }

    /// <summary>Detaches the namespace: every plugin in reverse order, even when one fails (CNI DEL must tolerate what is already gone).</summary>
    /// <returns>The first plugin error, or null.</returns>
    public async Task<string?> DelAsync(CniNetworkList list, CniAttachment attachment, JsonNode? addResult, CancellationToken cancellationToken = default)
    {
        string? first = null;
        for (var i = list.Plugins.Count - 1; i >= 0; i--)
        {
            var outcome = await RunAsync("DEL", list, i, attachment, addResult, cancellationToken).ConfigureAwait(false);
            first ??= outcome.Error;
        }

        return first;
    }

    private async Task<(JsonNode? Result, string? Error)> RunAsync(
        string command, CniNetworkList list, int index, CniAttachment attachment, JsonNode? previousResult, CancellationToken cancellationToken)
    {
        var type = list.PluginType(index);
        if (Locate(type) is not { } binary)
        {
            return (null, $"the CNI plugin {type} is not in {string.Join(", ", _directories)}: apt-get install containernetworking-plugins");
        }

        var environment = new Dictionary<string, string?>
        {
            ["CNI_COMMAND"] = command,
            ["CNI_CONTAINERID"] = attachment.ContainerId,
            ["CNI_NETNS"] = attachment.NetnsPath,
            ["CNI_IFNAME"] = attachment.InterfaceName,
            ["CNI_PATH"] = string.Join(':', _directories),
            ["CNI_ARGS"] = null,
        };
        var run = await ExternalCommand.RunAsync(
            binary, [], environment, cancellationToken, workingDirectory: "/", standardInput: list.PluginInput(index, previousResult)).ConfigureAwait(false);
        if (run.Succeeded)
        {
            return (command == "ADD" && run.Stdout.Trim().Length > 0 ? ParseOrNull(run.Stdout) : null, null);
        }

        // The plugin's error is a JSON object {code, msg, details} on stdout (CNI spec, "Error").
        var text = run.Stdout.Trim().Length > 0 ? run.Stdout : run.Stderr;
        var message = ParseOrNull(text) is JsonObject error && error["msg"]?.GetValueKind() == JsonValueKind.String
            ? error["msg"]!.GetValue<string>() + (error["details"]?.GetValueKind() == JsonValueKind.String ? $": {error["details"]!.GetValue<string>()}" : "")
            : text.Trim();
        return (null, $"{type} {command} exited with {run.ExitCode}: {message}");
    }

    private string? Locate(string type) =>
        !type.Contains('/') ? _directories.Select(d => Path.Combine(d, type)).FirstOrDefault(File.Exists) : null;

    private static JsonNode? ParseOrNull(string json)
    {
        try
        {
            return JsonNode.Parse(json);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}

/// <summary>What a CNI runtime attaches: a container ID the plugins key their state by, the namespace, the interface name.</summary>
internal sealed record CniAttachment(string ContainerId, string NetnsPath, string InterfaceName = "eth0");
