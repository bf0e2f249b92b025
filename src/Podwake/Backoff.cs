namespace Podwake;

/// <summary>The waits between tries after failures in a row, doubling from a first wait up to a cap.</summary>
internal static class Backoff
{
    /// <summary>
    /// The wait after <paramref name="failuresInARow"/> failures: none for 0, <paramref name="first"/> for 1, twice as long
    /// for each further one, never longer than <paramref name="cap"/> (no overflow for any count).
    /// </summary>
    public static TimeSpan Doubling(TimeSpan first, TimeSpan cap, int failuresInARow)
    {
        if (failuresInARow <= 0)
        {
            return TimeSpan.Zero;
        }

        var wait = first;
        for (var i = 1; i < failuresInARow && wait < cap; i++)
        {
            wait += wait;
        }

        return wait < cap ? wait : cap;
    }
}
