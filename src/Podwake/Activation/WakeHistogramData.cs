using System.Text.Json.Serialization;

namespace Podwake.Activation;

/// <summary>A <see cref="WakeHistogram"/>'s buckets as kept in the service's state: per bucket (the last one +Inf), how many and their sum.</summary>
internal sealed record WakeHistogramData
{
    public IReadOnlyList<long> Counts { get; init; } = [];

    public IReadOnlyList<double> Sums { get; init; } = [];

    [JsonIgnore]
    public long Count => Counts.Sum();

    [JsonIgnore]
    public double Sum => Sums.Sum();
}
