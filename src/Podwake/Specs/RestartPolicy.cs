namespace Podwake.Specs;

/// <summary>What happens when the container exits on its own (not stopped by podwake).</summary>
internal enum RestartPolicy
{
    /// <summary>Stay down until the next connection wakes it.</summary>
    No,

    /// <summary>Restart at once when it exits with a non-zero status or is killed by a signal.</summary>
    OnFailure,

    /// <summary>Restart at once whatever the exit status.</summary>
    Always,
}
