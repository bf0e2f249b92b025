namespace Podwake.Podman;

/// <summary>
/// Reads podman's pull error text: which registry it was and why it failed. podman (containers/image) gives no code,
/// only text such as <c>… pinging container registry 127.0.0.1:1: Get "https://127.0.0.1:1/v2/": dial tcp
/// 127.0.0.1:1: connect: connection refused</c>; the fragments below are the ones podman 4.3.1 writes
/// (tests/Podwake.Tests/Podman/ImagePullErrorsTests.cs has them verbatim).
/// </summary>
internal static class ImagePullErrors
{
    /// <summary>Docker's rule, which podman keeps: an unqualified name (<c>nginx</c>, <c>library/nginx</c>) lives on Docker Hub.</summary>
    public const string DefaultRegistry = "docker.io";

    private static readonly string[] UnreachableTexts =
    [
        "connection refused", "no such host", "timeout", "timed out", "deadline exceeded", "no route to host",
        "network is unreachable", "connection reset",
    ];

    // Status codes only in podman's own wording ("invalid status code from registry 403 (Forbidden)"): a bare "401"
    // would also match a registry on port 1401.
    private static readonly string[] UnauthorizedTexts =
    [
        "unauthorized", "authentication required", "401 (unauthorized)", "403 (forbidden)", "denied",
    ];

    private static readonly string[] NotFoundTexts = ["manifest unknown", "name unknown", "404 (not found)", "not found"];

    public static ImagePullFailure Classify(string podmanError)
    {
        if (ContainsAny(podmanError, UnreachableTexts))
        {
            return ImagePullFailure.Unreachable;
        }

        if (ContainsAny(podmanError, UnauthorizedTexts))
        {
            return ImagePullFailure.Unauthorized;
        }

        return ContainsAny(podmanError, NotFoundTexts) ? ImagePullFailure.NotFound : ImagePullFailure.Other;
    }

    /// <summary>
    /// The registry host of <paramref name="reference"/>: its first path component when that is a host (has a dot or a
    /// port, or is <c>localhost</c>), otherwise <see cref="DefaultRegistry"/>.
    /// </summary>
    public static string Registry(string reference)
    {
        var slash = reference.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0)
        {
            return DefaultRegistry;
        }

        var first = reference[..slash];
        return first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost"
            ? first
            : DefaultRegistry;
    }

    /// <summary>The one line that says what failed and what to do about it.</summary>
    public static string Describe(string image, string registry, ImagePullFailure failure, string podmanError)
    {
        var words = OneLine(podmanError);
        return failure switch
        {
            ImagePullFailure.Unreachable =>
                $"Failed to pull image {image}: registry {registry} is unreachable ({words}); check the registry's address in the image name and that it is up",
            ImagePullFailure.Unauthorized =>
                $"Failed to pull image {image}: registry {registry} refused it as unauthorized ({words}); log in first (podman login {registry}, as the user podwake runs as)",
            ImagePullFailure.NotFound =>
                $"Failed to pull image {image}: registry {registry} has no such image or tag ({words}); check the image name and tag",
            _ => $"Failed to pull image {image} from registry {registry}: {words}; check the image name and the registry",
        };
    }

    private static bool ContainsAny(string text, string[] fragments) =>
        fragments.Any(f => text.Contains(f, StringComparison.OrdinalIgnoreCase));

    private static string OneLine(string text) =>
        string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
