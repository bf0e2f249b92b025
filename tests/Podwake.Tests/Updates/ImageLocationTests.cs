using Podwake.Updates;
using Xunit;

namespace Podwake.Tests.Updates;

public sealed class ImageLocationTests
{
    [Theory]
    [InlineData("127.0.0.1:5601/app:v9", "127.0.0.1:5601", "127.0.0.1:5601", "app", "v9")]
    [InlineData("127.0.0.1:5601/team/app", "127.0.0.1:5601", "127.0.0.1:5601", "team/app", "latest")]
    [InlineData("localhost/hello:1", "localhost", "localhost", "hello", "1")]
    [InlineData("quay.io/podman/hello:latest", "quay.io", "quay.io", "podman/hello", "latest")]
    [InlineData("nginx", "docker.io", "registry-1.docker.io", "library/nginx", "latest")]
    [InlineData("nginx:1.27", "docker.io", "registry-1.docker.io", "library/nginx", "1.27")]
    [InlineData("docker.io/nginx:1.27", "docker.io", "registry-1.docker.io", "library/nginx", "1.27")]
    [InlineData("bitnami/redis:7", "docker.io", "registry-1.docker.io", "bitnami/redis", "7")]
    [InlineData("index.docker.io/library/nginx", "docker.io", "registry-1.docker.io", "library/nginx", "latest")]
    public void Parse_SplitsAsPodman(string reference, string registry, string endpoint, string repository, string tag)
    {
        var image = ImageLocation.Parse(reference);

        Assert.Equal(registry, image.Registry);
        Assert.Equal(endpoint, image.Endpoint);
        Assert.Equal(repository, image.Repository);
        Assert.Equal(tag, image.Tag);
        Assert.Null(image.Digest);
    }

    [Fact]
    public void Parse_ByDigest_KeepsTheDigest()
    {
        const string digest = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

        var image = ImageLocation.Parse($"127.0.0.1:5601/app@{digest}");

        Assert.Equal(digest, image.Digest);
        Assert.Equal("app", image.Repository);
    }

    [Fact]
    public void Parse_InvalidReference_SaysWhy()
    {
        var e = Assert.Throws<ArgumentException>(() => ImageLocation.Parse("127.0.0.1:5601/App:1"));

        Assert.Contains("must be lowercase", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ToString_NamesRegistryRepositoryAndTag() =>
        Assert.Equal("127.0.0.1:5601/app:v9", ImageLocation.Parse("127.0.0.1:5601/app:v9").ToString());
}
