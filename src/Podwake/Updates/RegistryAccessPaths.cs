using System.Runtime.InteropServices;

namespace Podwake.Updates;

/// <summary>
/// The paths podman reads credentials and registries.conf from, for one user: taken from the environment for the user
/// podwake runs as (<see cref="FromEnvironment"/>), or given for another user (a deployed service's <c>run_as</c>).
/// </summary>
/// <param name="Home">The user's home: <c>~/.config/containers/</c>, <c>~/.docker/config.json</c>.</param>
/// <param name="RuntimeDirectory"><c>XDG_RUNTIME_DIR</c>, or null: then podman's <c>/run/containers/UID/auth.json</c>.</param>
/// <param name="Uid">The user's id, for that fallback.</param>
/// <param name="AuthFile"><c>REGISTRY_AUTH_FILE</c>: when set, the only auth file podman reads.</param>
/// <param name="ConfigHome"><c>XDG_CONFIG_HOME</c>, or null for <c>~/.config</c>.</param>
/// <param name="DockerConfig"><c>DOCKER_CONFIG</c> (a directory holding config.json), or null for <c>~/.docker</c>.</param>
/// <param name="SystemConfig">Where the system's registries.conf lives: <c>/etc/containers</c>.</param>
internal sealed partial record RegistryAccessPaths(
    string Home,
    string? RuntimeDirectory,
    int Uid,
    string? AuthFile = null,
    string? ConfigHome = null,
    string? DockerConfig = null,
    string SystemConfig = RegistryAccessPaths.DefaultSystemConfig)
{
    public const string DefaultSystemConfig = "/etc/containers";

    /// <summary>The user podwake runs as, from its environment (as podman started in the same shell would read them).</summary>
    public static RegistryAccessPaths FromEnvironment() => new(
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile),
        Variable("XDG_RUNTIME_DIR"),
        (int)GetUid(),
        Variable("REGISTRY_AUTH_FILE"),
        Variable("XDG_CONFIG_HOME"),
        Variable("DOCKER_CONFIG"));

    /// <summary>
    /// The auth files in podman's order (containers/image <c>getAuthFilePaths</c>): <c>REGISTRY_AUTH_FILE</c> alone when
    /// set; else the runtime one, <c>$XDG_CONFIG_HOME/containers/auth.json</c>, then docker's <c>config.json</c>.
    /// </summary>
    public IReadOnlyList<string> AuthFiles()
    {
        if (!string.IsNullOrEmpty(AuthFile))
        {
            return [AuthFile];
        }

        var runtime = string.IsNullOrEmpty(RuntimeDirectory)
            ? $"/run/containers/{Uid}/auth.json"
            : Path.Join(RuntimeDirectory, "containers", "auth.json");
        return
        [
            runtime,
            Path.Join(UserConfig, "containers", "auth.json"),
            Path.Join(string.IsNullOrEmpty(DockerConfig) ? Path.Join(Home, ".docker") : DockerConfig, "config.json"),
        ];
    }

    /// <summary><c>$XDG_CONFIG_HOME</c>, or <c>~/.config</c>.</summary>
    public string UserConfig => string.IsNullOrEmpty(ConfigHome) ? Path.Join(Home, ".config") : ConfigHome;

    private static string? Variable(string name) => Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? value : null;

    [LibraryImport("libc", EntryPoint = "getuid")]
    private static partial uint GetUid();
}
