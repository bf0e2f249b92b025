using System.Net;
using Podwake.Host;
using Podwake.Units;

namespace Podwake.Deploy;

/// <summary>
/// Keeps <c>podwake-metrics.socket</c> and its service template in a manager: <c>deploy --metrics ADDR</c> installs them
/// (or moves the socket to a new address), a deploy without <c>--metrics</c> leaves them as they are, and undeploy of the
/// manager's last service removes them.
/// </summary>
internal static class MetricsUnits
{
    /// <param name="address">Where to listen; null: keep what is installed, remove it when no deployed service is left.</param>
    public static async Task SyncAsync(DeployTarget target, UnitGeneratorOptions options, IPEndPoint? address, TextWriter output, CancellationToken cancellationToken)
    {
        var manager = target.Manager;
        var systemctl = target.Systemctl;
        var owner = target.User;
        var socketPath = Path.Combine(manager.UnitDirectory, UnitGenerator.MetricsSocketName);
        var installed = HostFiles.Exists(socketPath, owner);
        if (address is null)
        {
            if (installed && AnyDeployed(manager.ConfigDirectory))
            {
                // Kept where it listens, but run by this podwake (a moved binary would fail every scrape).
                var service = UnitGenerator.GenerateMetrics(new IPEndPoint(IPAddress.Loopback, 1), options).Single(u => u.Name == UnitGenerator.MetricsServiceName);
                var servicePath = Path.Combine(manager.UnitDirectory, service.Name);
                if (HostFiles.ReadOrNull(servicePath, owner) is { } current && current != service.File.ToString())
                {
                    await HostFiles.WriteAtomicallyAsync(servicePath, service.File.ToString(), owner, cancellationToken).ConfigureAwait(false);
                    await systemctl.RunAsync(["daemon-reload"], cancellationToken).ConfigureAwait(false);
                }
            }
            else if (installed)
            {
                await systemctl.RunAsync(["disable", "--now", UnitGenerator.MetricsSocketName], cancellationToken).ConfigureAwait(false);
                HostFiles.Delete(socketPath, owner);
                HostFiles.Delete(Path.Combine(manager.UnitDirectory, UnitGenerator.MetricsServiceName), owner);
                await systemctl.RunAsync(["daemon-reload"], cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"{UnitGenerator.MetricsSocketName}: removed from {target.Describe()} (no deployed service is left)").ConfigureAwait(false);
            }

            return;
        }

        var socketChanged = false;
        var changed = false;
        foreach (var unit in UnitGenerator.GenerateMetrics(address, options))
        {
            var path = Path.Combine(manager.UnitDirectory, unit.Name);
            var text = unit.File.ToString();
            if (HostFiles.ReadOrNull(path, owner) == text)
            {
                continue;
            }

            await HostFiles.WriteAtomicallyAsync(path, text, owner, cancellationToken).ConfigureAwait(false);
            changed = true;
            socketChanged |= unit.Name == UnitGenerator.MetricsSocketName;
        }

        if (changed)
        {
            await systemctl.RunAsync(["daemon-reload"], cancellationToken).ConfigureAwait(false);
        }

        if (socketChanged && installed)
        {
            // A new address: the socket is bound again there.
            (await systemctl.RunAsync(["restart", UnitGenerator.MetricsSocketName], cancellationToken).ConfigureAwait(false))
                .ThrowIfFailed($"restart {UnitGenerator.MetricsSocketName} on {address}");
        }

        var enabled = await systemctl.RunAsync(["enable", "--now", UnitGenerator.MetricsSocketName], cancellationToken).ConfigureAwait(false);
        enabled.ThrowIfFailed($"listen on {address} with {UnitGenerator.MetricsSocketName} (is the address in use?)");
        if (changed)
        {
            await output.WriteLineAsync($"{UnitGenerator.MetricsSocketName}: Prometheus metrics at http://{address}/metrics ({target.Describe()}; each scrape runs podwake metrics)").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Why <paramref name="address"/> cannot take the metrics socket, checked before deploy changes anything; null when
    /// it can (free, or the installed metrics socket's own).
    /// </summary>
    public static string? AddressProblem(DeployTarget target, IPEndPoint address)
    {
        var installed = HostFiles.ReadOrNull(Path.Combine(target.Manager.UnitDirectory, UnitGenerator.MetricsSocketName), target.User);
        if (installed is not null && installed.Contains($"ListenStream={address}\n", StringComparison.Ordinal))
        {
            return null;
        }

        using var probe = new System.Net.Sockets.Socket(address.AddressFamily, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Tcp);
        try
        {
            // As systemd binds it: the port of connections in TIME_WAIT (the last scrapes of a metrics socket just
            // removed, a serve --metrics just ended) is free; a listener on it is not.
            probe.SetSocketOption(System.Net.Sockets.SocketOptionLevel.Socket, System.Net.Sockets.SocketOptionName.ReuseAddress, true);
            probe.Bind(address);
            return null;
        }
        catch (System.Net.Sockets.SocketException ex)
        {
            return $"--metrics {address}: {ex.Message}: choose a free address and port (`ss -ltn` lists the ones in use); nothing was changed";
        }
    }

    private static bool AnyDeployed(string configDirectory)
    {
        var directory = SpecCopy.Directory(configDirectory);
        return Directory.Exists(directory) && Directory.EnumerateFiles(directory, "*.yaml").Any();
    }
}
