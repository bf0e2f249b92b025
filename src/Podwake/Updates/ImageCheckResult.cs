namespace Podwake.Updates;

/// <summary>What <see cref="ImageCheck"/> found.</summary>
/// <param name="NeedsPull">The registry's image is not local yet.</param>
/// <param name="Changed">The container must be re-created on another image (after the pull, if one is needed).</param>
/// <param name="CurrentDigest">The manifest digest of the container's image; null for one never pushed or pulled.</param>
/// <param name="AvailableDigest">The registry's digest for the tag (<c>registry</c>), or the local tag's (<c>local</c>).</param>
internal sealed record ImageCheckResult(bool NeedsPull, bool Changed, string? CurrentDigest, string AvailableDigest);
