namespace Podwake.Podman;

/// <summary>
/// podman cannot be used at all: not installed, its API socket does not answer, or its service did not start.
/// The message says what to install, set or start; the CLI maps it to the environment-error exit code.
/// </summary>
internal sealed class PodmanUnavailableException : Exception
{
    public PodmanUnavailableException(string message)
        : base(message)
    {
    }

    public PodmanUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
