namespace Podwake.Podman;

/// <summary><c>podman build</c> failed; the message ends with the tail of its output.</summary>
internal sealed class ImageBuildException : Exception
{
    public ImageBuildException(string tag, int exitCode, string outputTail)
        : base($"Failed to build image {tag}: podman build exited with code {exitCode}:{Environment.NewLine}{outputTail}")
    {
        Tag = tag;
        ExitCode = exitCode;
        OutputTail = outputTail;
    }

    public string Tag { get; }

    public int ExitCode { get; }

    public string OutputTail { get; }
}
