namespace Podwake.Updates;

/// <summary>Asks a registry which manifest a tag names now (<c>RegistryClient</c>: a HEAD request, as podman does).</summary>
internal interface IRegistryDigests : IDisposable
{
    /// <summary>The digest (<c>sha256:…</c>) <paramref name="imageReference"/>'s tag names in its registry now; throws <see cref="RegistryCheckException"/>.</summary>
    Task<string> GetDigestAsync(string imageReference, CancellationToken cancellationToken);

    /// <summary>The credentials the auth files hold for <paramref name="imageReference"/>'s registry, for the pull that follows; null: none.</summary>
    (string User, string Password)? CredentialsFor(string imageReference);
}
