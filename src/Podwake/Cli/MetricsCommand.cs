using System.CommandLine;
using Podwake.Deploy;
using Podwake.Metrics;
using Podwake.Systemd;

namespace Podwake.Cli;

/// <summary>
/// <c>podwake metrics</c>: the Prometheus exposition of this user's deployed services. Run by
/// <c>podwake-metrics@.service</c> for each scrape (<c>podwake-metrics.socket</c>, Accept=yes: the connection is the
/// one passed socket): it answers that one request and exits, so no podwake process runs between scrapes. Run by
/// hand, it prints the exposition (for <c>promtool check metrics</c>, or a look).
/// </summary>
internal static class MetricsCommand
{
    public static Command Create()
    {
        var command = new Command("metrics", "Print the Prometheus metrics of the deployed services (the socket-activated metrics unit runs it per scrape)");
        command.SetAction((_, cancellationToken) => RunAsync(cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            if (Environment.GetEnvironmentVariable("LISTEN_FDS") is { Length: > 0 })
            {
                foreach (var passed in ListenFds.Adopt())
                {
                    using var connection = passed.Socket;
                    await MetricsHttp.ServeAsync(connection, DeployedMetrics.ReadAsync, TimeProvider.System, cancellationToken).ConfigureAwait(false);
                }

                return ExitCodes.Success;
            }

            var services = await DeployedMetrics.ReadAsync(cancellationToken).ConfigureAwait(false);
            await using var stdout = Console.OpenStandardOutput();
            await PrometheusExposition.WriteAsync(stdout, services, TimeProvider.System.GetUtcNow(), cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ExitCodes.IsEnvironmentFailure(ex))
        {
            await Console.Error.WriteLineAsync($"podwake: error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.EnvironmentError;
        }
    }
}
