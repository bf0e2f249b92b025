using System.Globalization;

namespace Podwake.Podman;

/// <summary>
/// A create request as a <c>podman create</c> command line: what serve runs instead of the API's create when the
/// service has <c>podman_args:</c> (options the API has no field for), so they reach podman as the user wrote them.
/// </summary>
internal static class ContainerCreateCommand
{
    /// <summary>The arguments after <c>podman</c>: <c>create</c>, the request's options, <paramref name="extra"/>, the image and command.</summary>
    public static List<string> Of(ContainerCreateSpec create, IEnumerable<string> extra)
    {
        static string Text(long value) => value.ToString(CultureInfo.InvariantCulture);
        List<string> words = ["create", "--name", create.Name];
        foreach (var (key, value) in create.Labels ?? new Dictionary<string, string>())
        {
            words.AddRange(["--label", $"{key}={value}"]);
        }

        if (create.Init)
        {
            words.Add("--init");
        }

        if (create.StopTimeout is { } timeout)
        {
            words.AddRange(["--stop-timeout", Text(timeout)]);
        }

        foreach (var mount in create.Mounts ?? [])
        {
            words.AddRange(["-v", $"{mount.Source}:{mount.Destination}{Options(mount.Options)}"]);
        }

        foreach (var volume in create.Volumes ?? [])
        {
            words.AddRange(["-v", $"{volume.Name}:{volume.Destination}{Options(volume.Options)}"]);
        }

        foreach (var port in create.PortMappings ?? [])
        {
            foreach (var protocol in port.Protocol.Split(','))
            {
                words.AddRange(["-p", $"{port.HostIp}:{Text(port.HostPort)}:{Text(port.ContainerPort)}/{protocol}"]);
            }
        }

        foreach (var (name, value) in create.Env ?? new Dictionary<string, string>())
        {
            words.AddRange(["-e", $"{name}={value}"]);
        }

        foreach (var secret in create.Secrets ?? [])
        {
            words.AddRange(["--secret", $"{secret.Source},type=mount,target={secret.Target}"]);
        }

        foreach (var (variable, secret) in create.SecretEnv ?? new Dictionary<string, string>())
        {
            words.AddRange(["--secret", $"{secret},type=env,target={variable}"]);
        }

        if (create.User is { } user)
        {
            words.AddRange(["--user", user]);
        }

        if (create.ResourceLimits is { } limits)
        {
            if (limits.Memory is { } memory)
            {
                words.AddRange(["--memory", Text(memory.Value)]);
            }

            if (limits.Cpu is { } cpu)
            {
                words.AddRange(["--cpu-quota", Text(cpu.Quota), "--cpu-period", Text(cpu.Period)]);
            }

            if (limits.Pids is { } pids)
            {
                words.AddRange(["--pids-limit", Text(pids.Value)]);
            }
        }

        if (create.RestartPolicy is { } restart)
        {
            words.AddRange(["--restart", restart]);
        }

        words.AddRange(extra);
        words.Add(create.Image);
        words.AddRange(create.Command ?? []);
        return words;
    }

    private static string Options(IReadOnlyList<string>? options) => options is { Count: > 0 } ? ":" + string.Join(',', options) : "";
}
