using Podwake.Specs;
using Xunit;

namespace Podwake.Tests.Specs;

public sealed class ImageReferenceTests
{
    [Theory]
    [InlineData("nginx")]
    [InlineData("localhost/hello:1")]
    [InlineData("docker.io/library/nginx:1.27")]
    [InlineData("registry.example.com:5000/team/my_app-2:v1.0_rc")]
    [InlineData("Registry.Example.com/app:Latest")]
    [InlineData("quay.io/a/b/c@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void WellFormedReference_HasNoProblem(string reference)
    {
        Assert.Null(ImageReference.Problem(reference));
    }

    [Theory]
    [InlineData("nginx latest", "it contains a space")]
    [InlineData("localhost/Hello:1", "the repository \"Hello\" must be lowercase")]
    [InlineData("library/Nginx", "the repository \"library/Nginx\" must be lowercase")]
    [InlineData("localhost/hello:-1", "the tag \"-1\" is not valid; use up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'")]
    [InlineData("localhost/he--llo.:1", "the repository \"he--llo.\" may only have lowercase letters and digits, separated by '/', '.', '_', '__' or '-'")]
    [InlineData("hello@sha256:xyz", "the digest \"sha256:xyz\" is not ALGORITHM:HEX, e.g. sha256: and 64 hex digits")]
    [InlineData(":1", "it has no repository name")]
    public void MalformedReference_SaysWhatIsWrong(string reference, string problem)
    {
        Assert.Equal(problem, ImageReference.Problem(reference));
    }
}
