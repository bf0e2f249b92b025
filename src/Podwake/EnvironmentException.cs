namespace Podwake;

/// <summary>
/// The host lacks something podwake needs (podman, a runtime directory, a free port); the message
/// says what to install or start. The CLI turns it into exit code 2.
/// </summary>
internal sealed class EnvironmentException : Exception
{
    public EnvironmentException(string message)
        : base(message)
    {
    }

    public EnvironmentException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
