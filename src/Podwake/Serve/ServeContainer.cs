using Podwake.Podman;
using Podwake.Pods;
using Podwake.Specs;

namespace Podwake.Serve;

/// <summary>
/// What <c>podwake serve</c> creates for a service: the container's create request (<c>podwake-NAME</c>, labelled as
/// serve's, <c>--init</c>, its mounts and volumes) and, rootless, the loopback port each container port is published on.
/// </summary>
/// <param name="Create">The request of <c>containers/create</c>.</param>
/// <param name="PublishedPorts">Container port → the host's loopback port it is published on; empty when rootful.</param>
internal sealed record ServeContainer(ContainerCreateSpec Create, IReadOnlyDictionary<int, int> PublishedPorts)
{
    /// <summary>Chooses the published ports (rootless: free loopback ports, new ones each time) and the create request.</summary>
    /// <param name="name">The container's name; null: the service's (<c>podwake-NAME</c>).</param>
    public static ServeContainer For(ServiceSpec spec, bool rootless, string? name = null)
    {
        var publishedPorts = rootless ? PublishedPortsFor(spec) : new Dictionary<int, int>();
        var portMappings = new List<ContainerPortMapping>();
        foreach (var group in spec.Ports.GroupBy(p => p.ContainerPort).Where(g => publishedPorts.ContainsKey(g.Key)))
        {
            // A port number used for tcp and udp (DNS) is published as "tcp,udp" and reached at one address either way.
            var protocols = string.Join(',', group.Select(p => p.Protocol).Distinct().Order().Select(p => p.ToText()));
            portMappings.Add(new ContainerPortMapping { HostIp = "127.0.0.1", HostPort = publishedPorts[group.Key], ContainerPort = group.Key, Protocol = protocols });
        }

        var create = new ContainerCreateSpec
        {
            Name = name ?? spec.ContainerName,
            Image = spec.Image ?? throw new InvalidOperationException("a pod service has no single container"),
            Command = spec.Command,
            Env = ContainerEnv.Of(spec),
            User = spec.User,
            ResourceLimits = ContainerResourceLimits.Of(spec.Resources),
            Secrets = spec.Secrets.Where(s => s.Env is null).Select(s => new ContainerSecretMount { Source = s.PodmanName(spec.Name), Target = s.Target! }).ToList() is { Count: > 0 } mounts ? mounts : null,
            SecretEnv = spec.Secrets.Where(s => s.Env is not null).ToDictionary(s => s.Env!, s => s.PodmanName(spec.Name)) is { Count: > 0 } variables ? variables : null,
            Labels = new Dictionary<string, string> { [ContainerLabels.Service] = spec.Name, [ContainerLabels.Manager] = "serve" },
            Mounts = ContainerMount.BindMountsOf(spec.Volumes),
            Volumes = ContainerNamedVolume.NamedVolumesOf(spec.Volumes),
            PortMappings = portMappings,
            Init = true,
            StopTimeout = ContainerDefaults.StopTimeoutSeconds,
        };
        return new ServeContainer(create, publishedPorts);
    }

    /// <summary>Rootless: one free loopback port per container port of the service (new ones each time), free for both protocols.</summary>
    public static Dictionary<int, int> PublishedPortsFor(ServiceSpec spec) => LoopbackPorts.For(spec);
}
