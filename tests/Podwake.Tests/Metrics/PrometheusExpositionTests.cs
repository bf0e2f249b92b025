using System.Globalization;
using System.Text;
using Podwake.Activation;
using Podwake.Metrics;
using Xunit;

namespace Podwake.Tests.Metrics;

public sealed class PrometheusExpositionTests
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-11-30T12:00:00Z", CultureInfo.InvariantCulture);

    [Fact]
    public async Task AHistogramKeptAsBuckets_IsExposedWithItsExactCountsAndSum()
    {
        var histogram = new WakeHistogram();
        foreach (var seconds in new[] { 0.0015, 0.0019, 0.3, 0.45, 50.0 })
        {
            histogram.Observe(seconds);
        }

        var text = await ExposeAsync(Status(ServiceState.Ready) with { Metrics = new MetricsData { WakeToFirstByte = histogram.ToData() } });

        Assert.Contains("podwake_wake_to_first_byte_seconds_count{service=\"web\"} 5\n", text, StringComparison.Ordinal);
        Assert.Equal(50.7534, SampleValue(text, "podwake_wake_to_first_byte_seconds_sum{service=\"web\"}"), 9);
        Assert.Equal(0, SampleValue(text, "podwake_wake_to_first_byte_seconds_bucket{service=\"web\",le=\"0.001\"}"));
        Assert.Equal(2, SampleValue(text, "podwake_wake_to_first_byte_seconds_bucket{service=\"web\",le=\"0.002\"}"));
        Assert.Equal(2, SampleValue(text, "podwake_wake_to_first_byte_seconds_bucket{service=\"web\",le=\"0.256\"}"));
        Assert.Equal(4, SampleValue(text, "podwake_wake_to_first_byte_seconds_bucket{service=\"web\",le=\"0.512\"}"));
        Assert.Equal(4, SampleValue(text, "podwake_wake_to_first_byte_seconds_bucket{service=\"web\",le=\"32.768\"}"));
        Assert.Equal(5, SampleValue(text, "podwake_wake_to_first_byte_seconds_bucket{service=\"web\",le=\"+Inf\"}"));
    }

    [Fact]
    public async Task TheState_IsOneSeriesPerState_CountersCarryTheStatusAndTheMetrics()
    {
        var status = Status(ServiceState.Dormant) with
        {
            Wakes = 3,
            FailedWakes = 1,
            DroppedDatagrams = 7,
            LastWakeAt = Now.AddSeconds(-90),
            Metrics = new MetricsData { IdleStops = 2, BytesToService = 100, BytesToClient = 2000 },
        };

        var text = await ExposeAsync(status);

        Assert.Equal(1, SampleValue(text, "podwake_service_state{service=\"web\",state=\"dormant\"}"));
        Assert.Equal(0, SampleValue(text, "podwake_service_state{service=\"web\",state=\"ready\"}"));
        Assert.Equal(3, SampleValue(text, "podwake_wakes_total{service=\"web\"}"));
        Assert.Equal(1, SampleValue(text, "podwake_wake_failures_total{service=\"web\"}"));
        Assert.Equal(2, SampleValue(text, "podwake_idle_stops_total{service=\"web\"}"));
        Assert.Equal(7, SampleValue(text, "podwake_udp_datagrams_dropped_total{service=\"web\"}"));
        Assert.Equal(2000, SampleValue(text, "podwake_proxied_bytes_total{service=\"web\",direction=\"to_client\"}"));
        Assert.Equal(90, SampleValue(text, "podwake_seconds_since_last_wake{service=\"web\"}"));
        Assert.Contains("# TYPE podwake_wakes_total counter", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE podwake_wake_duration_seconds histogram", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ASidecarService_HasNoSeries()
    {
        var text = await ExposeAsync(Status(ServiceState.Ready) with { Sidecars = [] });

        Assert.DoesNotContain("service=\"web\"", text, StringComparison.Ordinal);
    }

    private static ServiceStatus Status(ServiceState state) => new() { Name = "web", State = state };

    private static async Task<string> ExposeAsync(ServiceStatus status)
    {
        using var stream = new MemoryStream();
        await PrometheusExposition.WriteAsync(stream, [status], Now, CancellationToken.None);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static double SampleValue(string text, string series)
    {
        var line = text.Split('\n').SingleOrDefault(l => l.StartsWith(series + " ", StringComparison.Ordinal));
        Assert.True(line is not null, $"no sample {series} in:\n{text}");
        return double.Parse(line[(series.Length + 1)..], CultureInfo.InvariantCulture);
    }
}
