using Podwake.Activation;
using Podwake.Control;
using Podwake.Host;
using Podwake.Specs;

namespace Podwake.Deploy;

/// <summary>
/// What a scrape of <c>podwake metrics</c> reports of the deployed services: a running activator's live state (its
/// control socket), a dormant service's last state (the file its activator left when it exited). No systemctl or
/// podman call per scrape: a scrape every second must cost little more than reading a few files.
/// </summary>
internal static class DeployedMetrics
{
    public static async Task<IReadOnlyList<ServiceStatus>> ReadAsync(CancellationToken cancellationToken)
    {
        var paths = RuntimePaths.FromEnvironment();
        var read = await StatusClient.ReadAllAsync(paths, cancellationToken).ConfigureAwait(false);
        if (read.Unresponsive.Count > 0)
        {
            // Its service would be reported from its last rest, with counts lower than the live ones the last scrape
            // saw: Prometheus would read a reset. No answer (a failed scrape) rather than a wrong one.
            throw new IOException($"podwake processes {string.Join(", ", read.Unresponsive)} did not answer on their control sockets within {StatusClient.QueryTimeout.TotalSeconds:0} s");
        }

        var running = read.Documents
            .Where(d => d.Runtime == StatusDocument.RuntimeSystemd)
            .SelectMany(d => d.Services)
            .Where(s => s.Sidecars is null)
            .ToList();
        var seen = running.Select(s => s.Name).ToHashSet(StringComparer.Ordinal);
        var services = new List<ServiceStatus>(running);
        foreach (var (_, file, name) in DeployedStatus.SpecCopies())
        {
            if (!seen.Add(name) || SpecLoader.Load([file]).Services.FirstOrDefault() is not { Sidecar: null })
            {
                continue;
            }

            var last = DeployedStatus.ReadLastState(paths, name);
            services.Add((last ?? new ServiceStatus { Name = name, State = ServiceState.Dormant }) with
            {
                Name = name,
                State = last?.State == ServiceState.Failed ? ServiceState.Failed : ServiceState.Dormant,
                OpenConnections = 0,
                HeldConnections = 0,
                LiveFlows = 0,
                HeldDatagrams = 0,
            });
        }

        return services.OrderBy(s => s.Name, StringComparer.Ordinal).ToList();
    }
}
