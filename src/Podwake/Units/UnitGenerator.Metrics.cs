using System.Net;

namespace Podwake.Units;

/// <content>
/// Prometheus metrics of a manager's deployed services (<c>deploy --metrics ADDR</c>): a socket unit with
/// <c>Accept=yes</c>, as inetd did, so each scrape starts one <c>podwake metrics</c> for its one connection, which
/// answers and exits: no podwake process runs between scrapes. The numbers come from the activators that run and the
/// state the dormant ones left.
/// </content>
internal static partial class UnitGenerator
{
    public const string MetricsSocketName = "podwake-metrics.socket";

    /// <summary>The template an Accept=yes socket starts one instance of per connection.</summary>
    public const string MetricsServiceName = "podwake-metrics@.service";

    /// <summary>Scrapes answered at once; a scraper opens one at a time.</summary>
    private const int MetricsMaxConnections = 16;

    /// <summary>The socket and its service template, in that order.</summary>
    public static IReadOnlyList<GeneratedUnit> GenerateMetrics(IPEndPoint address, UnitGeneratorOptions options) =>
        [MetricsSocketUnit(address), MetricsServiceUnit(options)];

    public static GeneratedUnit MetricsSocketUnit(IPEndPoint address)
    {
        var unit = NewUnit("podwake metrics of the deployed services (Prometheus scrapes)");
        unit.Add(UnitSections.Socket, UnitKeys.ListenStream, address.ToString());
        unit.Add(UnitSections.Socket, UnitKeys.Accept, "yes");
        unit.Add(UnitSections.Socket, UnitKeys.MaxConnections, MetricsMaxConnections.ToString(System.Globalization.CultureInfo.InvariantCulture));
        unit.Add(UnitSections.Install, UnitKeys.WantedBy, "sockets.target");
        return new GeneratedUnit(MetricsSocketName, unit);
    }

    public static GeneratedUnit MetricsServiceUnit(UnitGeneratorOptions options)
    {
        var unit = NewUnit("podwake metrics, one scrape");

        // A failed instance is not kept (one per scrape would pile up); a stuck one is ended.
        unit.Add(UnitSections.Unit, UnitKeys.CollectMode, "inactive-or-failed");
        unit.Add(UnitSections.Service, UnitKeys.ExecStart, SystemdQuoting.ExecLine([options.PodwakePath, "metrics"]));
        unit.Add(UnitSections.Service, UnitKeys.RuntimeMaxSec, "30");
        return new GeneratedUnit(MetricsServiceName, unit);
    }
}
