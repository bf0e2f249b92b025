namespace Podwake.Podman;

/// <summary>
/// How long to wait before restarting podwake's own podman API service after it died: 0.2 s, doubling per death
/// in a row, at most 10 s; a service that answered for a minute or more starts the count afresh.
/// </summary>
internal sealed class ApiServiceBackoff
{
    public static readonly TimeSpan First = TimeSpan.FromMilliseconds(200);
    public static readonly TimeSpan Cap = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan Healthy = TimeSpan.FromMinutes(1);

    private int _failuresInARow;

    /// <summary>Failures counted since the last healthy run (1 for the first death).</summary>
    public int FailuresInARow => _failuresInARow;

    /// <summary>The delay before the next start, given how long the service that just died had run.</summary>
    public TimeSpan Next(TimeSpan lived)
    {
        if (lived >= Healthy)
        {
            _failuresInARow = 0;
        }

        _failuresInARow++;
        return Backoff.Doubling(First, Cap, _failuresInARow);
    }
}
