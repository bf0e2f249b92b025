using Podwake.Podman;

namespace Podwake.Updates;

/// <summary>A registry check failed; the message is one line naming the registry (or the image) and the reason.</summary>
internal sealed class RegistryCheckException : Exception
{
    public RegistryCheckException(ImagePullFailure failure, string registry, string message, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        Registry = registry;
    }

    public ImagePullFailure Failure { get; }

    /// <summary>The registry as the image reference names it (<c>docker.io</c>, <c>127.0.0.1:5601</c>).</summary>
    public string Registry { get; }
}
