using System.Text.Json;
using System.Text.Json.Nodes;
using Podwake.Host;
using Podwake.Podman;

namespace Podwake.Network;

/// <summary>
/// The network namespace a rootful deployed service's container joins (<c>podman create --network ns:PATH</c>): made
/// with <c>ip netns add</c> and attached to podman's CNI network once, when the service is deployed or the host boots,
/// and kept while the service is dormant. A namespace is not a process: nothing runs while the service sleeps, and a
/// wake skips the CNI plugin chain, which is about half of a rootful <c>podman start</c> here (~220 of ~500 ms: the
/// bridge, host-local, portmap, firewall and tuning plugins and a dozen iptables runs).
/// </summary>
/// <remarks>
/// The container ID the plugins see is <c>podwake-NAME</c>, so host-local's reservation file and the iptables comments
/// name the service. The ADD result is kept in <see cref="StateDirectory"/> for DEL, on disk as libcni keeps its cache
/// in /var/lib/cni/results: after a reboot emptied /run/netns, <c>up</c> first releases the address host-local still
/// holds for the service, then attaches a new namespace. Rootless podman has no such
/// namespace to join (slirp4netns is a process per container), nor has netavark a plugin chain to run: those keep
/// podman's own network set-up per start.
/// </remarks>
internal static class ServiceNetwork
{
    /// <summary>podman's default network (containers.conf(5) <c>default_network</c>).</summary>
    public const string DefaultNetwork = "podman";

    /// <summary>Where <c>ip netns</c> keeps named namespaces (ip-netns(8)); <c>ip netns list</c> shows podwake's.</summary>
    public const string NetnsDirectory = "/run/netns";

    public const string StateDirectory = "/var/lib/podwake/networks";

    public const string IpPath = "ip";

    public static string NamespaceName(string service) => $"podwake-{service}";

    public static string NamespacePath(string service) => Path.Combine(NetnsDirectory, NamespaceName(service));

    public static CniAttachment Attachment(string service) => new(NamespaceName(service), NamespacePath(service));

    private static string StatePath(string service) => Path.Combine(StateDirectory, $"{service}.json");

    /// <summary>Why a rootful service cannot have one here, or null when it can.</summary>
    public static async Task<string?> UnavailableReasonAsync(string network = DefaultNetwork, CancellationToken cancellationToken = default)
    {
        var backend = await ExternalCommand.RunAsync(PodmanBinary.Name, ["info", "--format", "{{.Host.NetworkBackend}}"], cancellationToken: cancellationToken, workingDirectory: "/")
            .ConfigureAwait(false);
        if (!backend.Succeeded || backend.Stdout.Trim() != "cni")
        {
            return $"podman's network backend is {(backend.Succeeded ? backend.Stdout.Trim() : "unknown")}, not cni";
        }

        if (CniNetworkList.Find(network) is not { } list)
        {
            return $"no CNI network {network} in {CniNetworkList.RootConfigDirectory}";
        }

        if (!new CniPlugins().HasAll(list))
        {
            return $"a CNI plugin of {list.Path} is missing";
        }

        var ip = await ExternalCommand.RunAsync(IpPath, ["-V"], cancellationToken: cancellationToken).ConfigureAwait(false);
        return ip.Succeeded ? null : "ip (iproute2) does not run";
    }

    /// <summary>Makes the namespace and attaches it to <paramref name="network"/> unless that is done already.</summary>
    /// <returns>True when it set the namespace up, false when it was up.</returns>
    /// <exception cref="EnvironmentException">The network does not exist or a plugin failed; nothing is left half set up.</exception>
    public static async Task<bool> UpAsync(string service, string network = DefaultNetwork, CancellationToken cancellationToken = default)
    {
        var state = ReadState(service);
        if (File.Exists(NamespacePath(service)) && state?.Network == network)
        {
            return false;
        }

        var list = CniNetworkList.Find(network)
            ?? throw new EnvironmentException($"Failed to find the CNI network {network} in {CniNetworkList.RootConfigDirectory}: create it with podman network create {network}, or run podman once to write its default network");
        var plugins = new CniPlugins();

        // Whatever an earlier attachment left: the address host-local still holds from before a reboot emptied
        // /run/netns, a namespace without its state (DEL by container ID releases what the plugins keyed by it).
        if (!await DownAsync(service, cancellationToken).ConfigureAwait(false))
        {
            await plugins.DelAsync(list, Attachment(service), null, cancellationToken).ConfigureAwait(false);
        }

        await Ip(["netns", "add", NamespaceName(service)], cancellationToken).ConfigureAwait(false);
        try
        {
            // podman brings the loopback up in the namespaces it makes; the activator connects through it.
            await Ip(["-n", NamespaceName(service), "link", "set", "lo", "up"], cancellationToken).ConfigureAwait(false);
            var result = await plugins.AddAsync(list, Attachment(service), cancellationToken).ConfigureAwait(false);
            Directory.CreateDirectory(StateDirectory);
            var document = new JsonObject { ["network"] = network, ["container_id"] = Attachment(service).ContainerId, ["result"] = result };
            await HostFiles.WriteAtomicallyAsync(StatePath(service), document.ToJsonString() + "\n", null, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch
        {
            await ExternalCommand.RunAsync(IpPath, ["netns", "delete", NamespaceName(service)], cancellationToken: CancellationToken.None).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The namespace or its CNI state is there (for undeploy: a deploy interrupted before its units were written leaves them alone).</summary>
    public static bool IsPresent(string service) => File.Exists(NamespacePath(service)) || File.Exists(StatePath(service));

    /// <summary>Detaches and removes the namespace; what is not there is skipped.</summary>
    /// <returns>True when there was something to take down.</returns>
    public static async Task<bool> DownAsync(string service, CancellationToken cancellationToken = default)
    {
        var state = ReadState(service);
        var exists = File.Exists(NamespacePath(service));
        if (state is null && !exists)
        {
            return false;
        }

        var list = CniNetworkList.Find(state?.Network ?? DefaultNetwork);
        var error = list is null ? null : await new CniPlugins().DelAsync(list, Attachment(service), state?.Result, cancellationToken).ConfigureAwait(false);

        // The namespace goes even when a plugin failed: a retry DELs again by container ID.
        if (exists)
        {
            await Ip(["netns", "delete", NamespaceName(service)], cancellationToken).ConfigureAwait(false);
        }

        File.Delete(StatePath(service));
        if (error is not null && state is not null)
        {
            throw new EnvironmentException($"Failed to detach {NamespacePath(service)} from the CNI network {list!.Name} (the namespace is removed): {error}");
        }

        return true;
    }

    private static async Task Ip(string[] arguments, CancellationToken cancellationToken) =>
        (await ExternalCommand.RunAsync(IpPath, arguments, cancellationToken: cancellationToken).ConfigureAwait(false)).ThrowIfFailed($"ip {string.Join(' ', arguments)}");

    private static State? ReadState(string service)
    {
        if (HostFiles.ReadOrNull(StatePath(service)) is not { } text)
        {
            return null;
        }

        try
        {
            return JsonNode.Parse(text) is JsonObject o && o["network"]?.GetValueKind() == JsonValueKind.String
                ? new State(o["network"]!.GetValue<string>(), o["result"])
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private sealed record State(string Network, JsonNode? Result);
}
