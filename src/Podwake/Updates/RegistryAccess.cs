namespace Podwake.Updates;

/// <summary>
/// What podman would use to reach registries as one user: the credentials of its auth files and the insecure
/// registries of registries.conf. Loaded once per <c>podwake update</c> run and user.
/// </summary>
internal sealed class RegistryAccess
{
    public RegistryAccess(AuthFiles authFiles, RegistriesConf registries)
    {
        AuthFiles = authFiles;
        Registries = registries;
    }

    public AuthFiles AuthFiles { get; }

    public RegistriesConf Registries { get; }

    /// <exception cref="EnvironmentException">An auth file or registries.conf exists but cannot be read (says which and where).</exception>
    public static RegistryAccess Load(RegistryAccessPaths paths)
    {
        try
        {
            return new RegistryAccess(AuthFiles.Load(paths.AuthFiles()), RegistriesConf.Load(paths));
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new EnvironmentException($"Failed to read podman's registry settings: {e.Message}", e);
        }
    }

    public AuthLookup Credentials(ImageLocation image) => AuthFiles.Find(image);

    /// <summary>registries.conf says <c>insecure = true</c> for the image's registry (plain HTTP or an unverified certificate).</summary>
    public bool IsInsecure(ImageLocation image) => Registries.IsInsecure(image.Name);
}
