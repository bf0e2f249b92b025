using Podwake.Podman;
using Xunit;

namespace Podwake.Tests.Podman;

/// <summary>Classifying podman's pull errors; every text is what podman 4.3.1 wrote, verbatim.</summary>
public sealed class ImagePullErrorsTests
{
    /// <summary>Nothing listening at the registry's port.</summary>
    internal const string ConnectionRefused =
        "initializing source docker://127.0.0.1:1/podwake-nothing:1: pinging container registry 127.0.0.1:1: Get \"https://127.0.0.1:1/v2/\": dial tcp 127.0.0.1:1: connect: connection refused";

    /// <summary>A registry host DNS does not know.</summary>
    internal const string NoSuchHost =
        "initializing source docker://podwake-no-such-host.invalid/x:1: pinging container registry podwake-no-such-host.invalid: Get \"https://podwake-no-such-host.invalid/v2/\": dial tcp: lookup podwake-no-such-host.invalid on 10.255.255.53:53: no such host";

    /// <summary>A registry answering 401 (code UNAUTHORIZED, "authentication required") to the manifest; on port 1401, which must not count as a status.</summary>
    internal const string Unauthorized =
        "initializing source docker://127.0.0.1:1401/podwake-x:1: reading manifest 1 in 127.0.0.1:1401/podwake-x: unauthorized";

    /// <summary>A registry answering 403 to <c>/v2/</c>.</summary>
    internal const string Forbidden =
        "initializing source docker://127.0.0.1:1403/podwake-x:1: pinging container registry 127.0.0.1:1403: invalid status code from registry 403 (Forbidden)";

    /// <summary>A registry answering 404 MANIFEST_UNKNOWN for the tag; on port 1404, which must not count as a status.</summary>
    internal const string ManifestUnknown =
        "initializing source docker://127.0.0.1:1404/podwake-x:1: reading manifest 1 in 127.0.0.1:1404/podwake-x: manifest unknown: manifest unknown";

    /// <summary>A short name and no unqualified-search registries.</summary>
    internal const string ShortName =
        "short-name \"podwake-shortname-nothing-xyz\" did not resolve to an alias and no unqualified-search registries are defined in \"/etc/containers/registries.conf\"";

    /// <summary>A name podman cannot parse.</summary>
    internal const string InvalidName = "Invalid image name \"UPPER/x:1\", unknown transport \"UPPER/x\"";

    [Theory]
    [InlineData(ConnectionRefused, nameof(ImagePullFailure.Unreachable))]
    [InlineData(NoSuchHost, nameof(ImagePullFailure.Unreachable))]
    [InlineData(Unauthorized, nameof(ImagePullFailure.Unauthorized))]
    [InlineData(Forbidden, nameof(ImagePullFailure.Unauthorized))]
    [InlineData(ManifestUnknown, nameof(ImagePullFailure.NotFound))]
    [InlineData(ShortName, nameof(ImagePullFailure.Other))]
    [InlineData(InvalidName, nameof(ImagePullFailure.Other))]
    public void PodmanText_IsClassified(string podmanError, string expected) =>
        Assert.Equal(expected, ImagePullErrors.Classify(podmanError).ToString());

    [Theory]
    [InlineData("127.0.0.1:1/podwake-nothing:1", "127.0.0.1:1")]
    [InlineData("registry.example.com/team/app:2", "registry.example.com")]
    [InlineData("localhost/app:1", "localhost")]
    [InlineData("localhost:5000/app:1", "localhost:5000")]
    [InlineData("library/nginx:1", "docker.io")]
    [InlineData("nginx", "docker.io")]
    public void Registry_IsTheReferencesHost_OrDockerHub(string reference, string expected) =>
        Assert.Equal(expected, ImagePullErrors.Registry(reference));

    [Fact]
    public void Unreachable_NamesImageRegistryReasonAndRemedy_OnOneLine()
    {
        var message = new ImagePullException("127.0.0.1:1/podwake-nothing:1", "127.0.0.1:1", ConnectionRefused).Message;

        Assert.Equal(
            "Failed to pull image 127.0.0.1:1/podwake-nothing:1: registry 127.0.0.1:1 is unreachable (" + ConnectionRefused +
            "); check the registry's address in the image name and that it is up",
            message);
    }

    [Fact]
    public void Unauthorized_SaysWhereToLogIn()
    {
        var message = new ImagePullException("127.0.0.1:1401/podwake-x:1", "127.0.0.1:1401", Unauthorized).Message;

        Assert.Contains("registry 127.0.0.1:1401 refused it as unauthorized", message, StringComparison.Ordinal);
        Assert.Contains("podman login 127.0.0.1:1401", message, StringComparison.Ordinal);
    }

    [Fact]
    public void NotFound_SaysCheckTheTag()
    {
        var message = new ImagePullException("127.0.0.1:1404/podwake-x:1", "127.0.0.1:1404", ManifestUnknown).Message;

        Assert.Contains("registry 127.0.0.1:1404 has no such image or tag", message, StringComparison.Ordinal);
        Assert.EndsWith("check the image name and tag", message, StringComparison.Ordinal);
    }

    [Fact]
    public void Other_KeepsPodmansWords_OnOneLine()
    {
        var message = new ImagePullException("x", "docker.io", "first\nsecond").Message;

        Assert.Equal("Failed to pull image x from registry docker.io: first second; check the image name and the registry", message);
    }
}
