namespace Podwake.Deploy;

/// <summary>How deploy makes the image local before any wake (a wake never pulls).</summary>
internal enum ImageAction
{
    /// <summary>Already in the target's store.</summary>
    Present,

    /// <summary><c>build:</c>: built every deploy (podman's layer cache keeps an unchanged build the same image).</summary>
    Build,

    /// <summary>Not local: <c>podman pull</c>.</summary>
    Pull,
}
