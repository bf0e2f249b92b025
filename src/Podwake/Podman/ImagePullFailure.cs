namespace Podwake.Podman;

/// <summary>Why a registry refused a pull, as far as podman's error text tells; each kind has its own remedy.</summary>
internal enum ImagePullFailure
{
    /// <summary>Anything else: podman's own words are all there is.</summary>
    Other,

    /// <summary>Nothing answered at the registry's address (refused, unknown host, timeout).</summary>
    Unreachable,

    /// <summary>The registry wants credentials, or refused the ones given.</summary>
    Unauthorized,

    /// <summary>The registry answered, but has no such repository or tag.</summary>
    NotFound,
}
