namespace Podwake.Podman;

/// <summary>What <see cref="PullProgress"/> knows of one blob of a pull.</summary>
internal sealed class PullLayer(string id, long started)
{
    /// <summary>The first 12 hex digits of its digest, as podman names it.</summary>
    public string Id { get; } = id;

    /// <summary>When it was first reported (a <see cref="TimeProvider"/> timestamp).</summary>
    public long Started { get; } = started;

    public long Current { get; set; }

    /// <summary>Its size; 0 until podman reported bytes for it (a blob fetched within a second never is).</summary>
    public long Total { get; set; }

    /// <summary>null while fetching; "done" or "already present" after.</summary>
    public string? State { get; set; }
}
