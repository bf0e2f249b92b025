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
        var installed = HostFiles.Exists(Path.Combine(target.Manager.UnitDirectory, UnitGenerator.MetricsSocketName), target.User);
        if (address is null)
        {
            if (installed && AnyDeployed(target.Manager.ConfigDirectory))
            {
                // Kept where it listens, but run by this podwake (a moved binary would fail every scrape).
                await ManagerUnits.WriteChangedAsync(target, [UnitGenerator.MetricsServiceUnit(options)], cancellationToken).ConfigureAwait(false);
            }
            else if (installed)
            {
                await ManagerUnits.RemoveAsync(target, UnitGenerator.MetricsSocketName, [UnitGenerator.MetricsSocketName, UnitGenerator.MetricsServiceName], cancellationToken).ConfigureAwait(false);
                await output.WriteLineAsync($"{UnitGenerator.MetricsSocketName}: removed from {target.Describe()} (no deployed service is left)").ConfigureAwait(false);
            }

            return;
        }

        var written = await ManagerUnits.WriteChangedAsync(target, UnitGenerator.GenerateMetrics(address, options), cancellationToken).ConfigureAwait(false);
        var systemctl = target.Systemctl;
        if (installed && written.Contains(UnitGenerator.MetricsSocketName))
        {
            // A new address: the socket is bound again there.
            (await systemctl.RunAsync(["restart", UnitGenerator.MetricsSocketName], cancellationToken).ConfigureAwait(false))
                .ThrowIfFailed($"restart {UnitGenerator.MetricsSocketName} on {address}");
        }

        var enabled = await systemctl.RunAsync(["enable", "--now", UnitGenerator.MetricsSocketName], cancellationToken).ConfigureAwait(false);
        enabled.ThrowIfFailed($"listen on {address} with {UnitGenerator.MetricsSocketName} (is the address in use?)");
        if (written.Count > 0)
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
        // The installed socket, on this address already: it holds the port itself.
        if (HostFiles.ReadOrNull(Path.Combine(target.Manager.UnitDirectory, UnitGenerator.MetricsSocketName), target.User)
            == UnitGenerator.MetricsSocketUnit(address).File.ToString())
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
