namespace Podwake.Activation;

/// <summary>
/// Durations of one wake phase in fixed buckets: 1 ms doubling up to 32.768 s, then +Inf. The same bounds in every
/// process, so the counts one activator left behind carry on in the next (<see cref="WakeHistogramData"/>). Each
/// bucket keeps the sum of its own observations too: an exporter can then replay a bucket as its count of
/// observations at their mean, which gives back the exact bucket counts and the exact sum. Not thread-safe: the
/// owner (<see cref="ServiceMetrics"/>) locks.
/// </summary>
internal sealed class WakeHistogram
{
    /// <summary>Upper bounds in seconds, +Inf left out.</summary>
    public static IReadOnlyList<double> UpperBounds { get; } = [.. Enumerable.Range(0, 16).Select(i => 0.001 * (1 << i))];

    private readonly long[] _counts = new long[UpperBounds.Count + 1];
    private readonly double[] _sums = new double[UpperBounds.Count + 1];

    public void Observe(double seconds)
    {
        seconds = Math.Max(0, seconds);
        var bucket = 0;
        while (bucket < UpperBounds.Count && seconds > UpperBounds[bucket])
        {
            bucket++;
        }

        _counts[bucket]++;
        _sums[bucket] += seconds;
    }

    public WakeHistogramData ToData() => new() { Counts = [.. _counts], Sums = [.. _sums] };

    /// <summary>Carries on from what an earlier process counted; data of another shape (another version's buckets) is left out.</summary>
    public void Restore(WakeHistogramData? data)
    {
        if (data is null || data.Counts.Count != _counts.Length || data.Sums.Count != _sums.Length || data.Counts.Any(c => c < 0))
        {
            return;
        }

        for (var i = 0; i < _counts.Length; i++)
        {
            _counts[i] = data.Counts[i];
            _sums[i] = data.Sums[i];
        }
    }
}
