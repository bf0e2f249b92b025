using Podwake.Host;

namespace Podwake.Podman;

/// <summary>Where podwake finds the podman CLI, for the few things the REST API does not do.</summary>
internal static class PodmanBinary
{
    /// <summary>Its name, looked up on <c>PATH</c>.</summary>
    public const string Name = "podman";

    /// <summary>
    /// Where Debian's package installs it: deployed units run it by this absolute path (systemd runs them with
    /// its own <c>PATH</c>), and so does deploy, which may run it as another user through runuser.
    /// </summary>
    public const string Installed = "/usr/bin/podman";

    /// <summary>podman on this process's <c>PATH</c>; null when it is not installed.</summary>
    public static string? OnPath() => PodmanEnvironment.FindOnPath(Name, Environment.GetEnvironmentVariable("PATH"));

    /// <summary>Runs the installed podman CLI as this process's user, from <c>/</c>.</summary>
    public static Task<ExternalCommandResult> RunAsync(IReadOnlyList<string> arguments, CancellationToken cancellationToken) =>
        ExternalCommand.RunAsync(Installed, arguments, cancellationToken: cancellationToken, workingDirectory: "/");
}
