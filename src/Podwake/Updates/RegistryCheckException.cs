using Podwake.Podman;

namespace Podwake.Updates;

/// <summary>A registry could not say which manifest a tag names: unreachable, refused our credentials, no such tag.</summary>
internal sealed class RegistryCheckException : Exception
{
    public RegistryCheckException(ImagePullFailure failure, string registry, string message, Exception? inner = null)
        : base(message, inner)
    {
        Failure = failure;
        Registry = registry;
    }

    public ImagePullFailure Failure { get; }

    public string Registry { get; }
}
