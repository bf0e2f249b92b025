namespace Podwake.Cli;

/// <summary>The exit codes (docs/commands.md): 0 success, 1 user error, 2 environment error, 3 an update rolled back.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A bad service file or an unknown service.</summary>
    public const int UserError = 1;

    /// <summary>podman or systemd missing or unusable; the message says what to install or start.</summary>
    public const int EnvironmentError = 2;

    /// <summary><c>podwake update</c>: a new image was not ready in time and the service went back to the old one.</summary>
    public const int RolledBack = 3;

    /// <summary>
    /// A deploy or undeploy stopped by a signal (after deploy's rollback): 128 + the signal's number, as a shell reports
    /// a process the signal ended (SIGHUP 129, SIGINT 130, SIGTERM 143).
    /// </summary>
    public static int Interrupted(System.Runtime.InteropServices.PosixSignal signal) => signal switch
    {
        System.Runtime.InteropServices.PosixSignal.SIGHUP => 129,
        System.Runtime.InteropServices.PosixSignal.SIGINT => 130,
        _ => 143,
    };

    /// <summary>
    /// A failure of the host rather than of the user's input (a tool missing or failing, podman away, a file podwake may
    /// not write): the commands that change the host print its message and exit with <see cref="EnvironmentError"/>.
    /// </summary>
    public static bool IsEnvironmentFailure(Exception exception) =>
        exception is EnvironmentException or Podman.PodmanUnavailableException or Host.ExternalCommandException
            or IOException or UnauthorizedAccessException;
}
