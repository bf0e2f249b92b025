namespace Podwake.Podman;

/// <summary>podman could not pull an image; the message is one line naming the image, the registry, the reason and the remedy.</summary>
internal sealed class ImagePullException : Exception
{
    public ImagePullException(string image, string registry, string podmanError)
        : this(image, registry, ImagePullErrors.Classify(podmanError), podmanError)
    {
    }

    private ImagePullException(string image, string registry, ImagePullFailure failure, string podmanError)
        : base(ImagePullErrors.Describe(image, registry, failure, podmanError))
    {
        Image = image;
        Registry = registry;
        Failure = failure;
        PodmanError = podmanError;
    }

    public string Image { get; }

    /// <summary>The registry podman pulled from (after resolving a short name, when podman said which).</summary>
    public string Registry { get; }

    public ImagePullFailure Failure { get; }

    /// <summary>podman's own error text.</summary>
    public string PodmanError { get; }
}
