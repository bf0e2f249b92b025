namespace Podwake.Cli;

/// <summary>The exit codes of DESIGN.md.</summary>
internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>A bad service file or an unknown service.</summary>
    public const int UserError = 1;

    /// <summary>podman or systemd missing or unusable; the message says what to install or start.</summary>
    public const int EnvironmentError = 2;
}
