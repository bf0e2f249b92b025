using Podwake.Podman;
using Podwake.Specs;

namespace Podwake.Sidecars;

/// <summary>The container of one key: <c>sidecar.command</c> and the call's arguments, in the caller's network namespace for a <c>netns</c> key.</summary>
internal static class SidecarContainer
{
    /// <param name="manager">Which runtime creates it (<c>serve</c>, <c>systemd</c>), as on every podwake container.</param>
    public static ContainerCreateSpec For(ServiceSpec spec, SidecarCall call, string key, string manager)
    {
        var sidecar = spec.Sidecar ?? throw new ArgumentException($"service {spec.Name} has no sidecar: section", nameof(spec));
        var env = new Dictionary<string, string>(ContainerEnv.Of(spec), StringComparer.Ordinal);
        foreach (var name in sidecar.PassEnv)
        {
            if (call.Environment.TryGetValue(name, out var value))
            {
                env[name] = value;
            }
        }

        return new ContainerCreateSpec
        {
            Name = SidecarNames.Container(spec.Name, key),
            Image = spec.Image ?? throw new ArgumentException($"service {spec.Name} has no image", nameof(spec)),
            Command = [.. sidecar.Command, .. call.Arguments],
            Env = env,
            User = spec.User,
            ResourceLimits = ContainerResourceLimits.Of(spec.Resources),
            Labels = new Dictionary<string, string>
            {
                [ContainerLabels.Service] = spec.Name,
                [ContainerLabels.Manager] = manager,
                [ContainerLabels.SidecarKey] = key,
                [ContainerLabels.SidecarCall] = call.Id,
                [ContainerLabels.SidecarForeground] = call.Foreground ? "true" : "false",
            },
            Mounts = ContainerMount.BindMountsOf(spec.Volumes),
            Volumes = ContainerNamedVolume.NamedVolumesOf(spec.Volumes),
            Init = true,
            StopTimeout = ContainerDefaults.StopTimeoutSeconds,
            // The key is a name in /run/netns (SidecarKeys found it there), so the path stays in that folder.
            NetNs = sidecar.Key.Kind == SidecarKeyKind.Netns ? new ContainerNamespace { Mode = "path", Value = Path.Join(SidecarKeys.NetnsDirectory, key) } : null,
            RestartPolicy = call.Foreground ? "no" : spec.Restart.ToText(),
        };
    }
}
