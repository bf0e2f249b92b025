namespace Podwake.Updates;

/// <summary>How one service's update ended (<c>podwake update</c>'s line, <c>status</c>'s last update).</summary>
internal enum UpdateOutcome
{
    /// <summary>The image the service runs is the newest: nothing pulled, nothing changed.</summary>
    UpToDate,

    /// <summary><c>--dry-run</c>: a newer image is there; nothing was pulled or changed.</summary>
    WouldUpdate,

    /// <summary>The service now runs the new image (proved ready, old container removed).</summary>
    Updated,

    /// <summary>The new image was not ready in time: the old container is back (or never left) and serves.</summary>
    RolledBack,

    /// <summary>The check or the pull failed (registry unreachable, unauthorized, no such tag): nothing changed.</summary>
    Failed,

    /// <summary>Named, but podwake does not update it (<c>update: none</c>, or an image built from <c>build:</c>).</summary>
    Skipped,
}
