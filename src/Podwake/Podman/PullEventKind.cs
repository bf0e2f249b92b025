namespace Podwake.Podman;

/// <summary>What one step of a pull is.</summary>
internal enum PullEventKind
{
    /// <summary>podman's own progress text (libpod's stream: a short name's pull, which has no byte counts).</summary>
    Text,

    /// <summary>A blob (layer or config) is being fetched.</summary>
    LayerStarted,

    /// <summary>Bytes of a blob so far, of its total; podman reports each about once a second.</summary>
    LayerProgress,

    /// <summary>A blob is fetched.</summary>
    LayerDone,

    /// <summary>A blob was already in the local store.</summary>
    LayerExists,
}
