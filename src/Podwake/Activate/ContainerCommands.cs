using System.Globalization;
using System.Text.Json;
using Podwake.Activation;
using Podwake.Host;
using Podwake.Podman;
using Podwake.Specs;

namespace Podwake.Activate;

/// <summary>
/// What <c>podwake activate</c> asks the podman CLI about its service's container (systemd, not podman, starts and stops
/// it): its exit code and state, its last lines of output, the ports it publishes, a command run in it.
/// </summary>
internal sealed class ContainerCommands(string podmanPath, string containerName)
{
    /// <summary>The exit status podman recorded, or null when it cannot tell (the restart policy then treats it as a failure).</summary>
    public async Task<int?> ReadExitCodeAsync()
    {
        try
        {
            var result = await ExternalCommand.RunAsync(podmanPath, ["container", "inspect", "--format", "{{.State.ExitCode}}", containerName]).ConfigureAwait(false);
            if (!result.Succeeded || !int.TryParse(result.Stdout.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var code))
            {
                return null;
            }

            // 143 stays 143 (the log shows what happened); RestartRule.IsCleanExit counts it clean, as the unit's SuccessExitStatus= does.
            return code;
        }
        catch (Exception ex) when (ex is EnvironmentException or IOException)
        {
            return null;
        }
    }

    /// <summary>podman's Status and ExitCode of the container; null when podman cannot tell.</summary>
    public async Task<(string Status, int ExitCode)?> ReadStateAsync(CancellationToken cancellationToken)
    {
        var result = await ExternalCommand.RunAsync(podmanPath, ["container", "inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", containerName],
            cancellationToken: cancellationToken).ConfigureAwait(false);
        var words = result.Stdout.Trim().Split(' ');
        return result.Succeeded && words.Length == 2 && int.TryParse(words[1], CultureInfo.InvariantCulture, out var code)
            ? (words[0], code)
            : null;
    }

    /// <summary>The container's last lines of output since <paramref name="since"/> (all when null); null when podman cannot tell.</summary>
    public async Task<IReadOnlyList<string>?> TailLogsAsync(DateTimeOffset? since, CancellationToken cancellationToken)
    {
        try
        {
            // Both streams in the order the container wrote them: podman logs writes them to its own two.
            // Only since the given time: podman keeps every earlier run's output too.
            var sinceText = (since ?? DateTimeOffset.UnixEpoch).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);
            var result = await ExternalCommand.RunAsync("/bin/sh", ["-c", "exec \"$0\" logs --since \"$3\" --tail \"$1\" \"$2\" 2>&1", podmanPath,
                WorkloadExit.TailLines.ToString(CultureInfo.InvariantCulture), containerName, sinceText], cancellationToken: cancellationToken).ConfigureAwait(false);
            if (result.Succeeded)
            {
                return PodmanClient.SplitLines(result.Stdout, WorkloadExit.TailLines);
            }
        }
        catch (Exception ex) when (ex is EnvironmentException or IOException)
        {
        }

        return null;
    }

    /// <summary>(container port, protocol) → the loopback port podman published it on, from <c>"8080/tcp"</c>-style keys.</summary>
    public async Task<IReadOnlyDictionary<(int Port, Protocol Protocol), int>> ReadPublishedPortsAsync()
    {
        var result = (await ExternalCommand.RunAsync(podmanPath, ["container", "inspect", "--format", "json", containerName]).ConfigureAwait(false))
            .ThrowIfFailed($"read the published ports of {containerName}");
        var inspect = JsonSerializer.Deserialize(result.Stdout, PodmanJsonContext.Default.IReadOnlyListContainerInspect);
        var ports = new Dictionary<(int, Protocol), int>();
        foreach (var (key, bindings) in inspect?.FirstOrDefault()?.NetworkSettings?.Ports ?? new Dictionary<string, IReadOnlyList<ContainerPortBinding>?>())
        {
            var parts = key.Split('/');
            Protocol? protocol = parts.Length == 2 && ProtocolText.TryParse(parts[1], out var parsed) ? parsed : null;
            if (protocol is null || bindings is null || !int.TryParse(parts[0], CultureInfo.InvariantCulture, out var containerPort))
            {
                continue;
            }

            foreach (var binding in bindings)
            {
                if (int.TryParse(binding.HostPort, CultureInfo.InvariantCulture, out var hostPort))
                {
                    ports[(containerPort, protocol.Value)] = hostPort;
                }
            }
        }

        return ports;
    }

    /// <summary><c>podman exec</c> in the container (an <c>exec</c> readiness check); its exit code.</summary>
    public async Task<int> ExecAsync(IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var result = await ExternalCommand.RunAsync(podmanPath, ["exec", containerName, .. command], cancellationToken: cancellationToken).ConfigureAwait(false);
        return result.ExitCode;
    }
}
