using Podwake.Sidecars;
using Xunit;

namespace Podwake.Tests.Sidecars;

/// <summary>A key reaches a file name or container name only as itself when it is a plain name, else as a hash.</summary>
public sealed class SidecarNamesTests
{
    [Theory]
    [InlineData("qdhcp-7f3e2a10-0b1c-4d5e-8f90-a1b2c3d4e5f6")]
    [InlineData("net1")]
    [InlineData("a.b_c-d")]
    public void PlainKey_IsItsOwnStem(string key)
    {
        Assert.Equal(key, SidecarNames.Stem(key));
        Assert.Equal($"podwake-dns.{key}", SidecarNames.Container("dns", key));
    }

    [Theory]
    [InlineData("../../etc")]
    [InlineData("a/b")]
    [InlineData(".hidden")]
    [InlineData("two words")]
    [InlineData("$(id)")]
    [InlineData("new\nline")]
    [InlineData("_0123456789abcdef")]
    [InlineData("-dash-first")]
    public void AnyOtherKey_IsHashed_IntoAPlainName(string key)
    {
        var stem = SidecarNames.Stem(key);

        Assert.Matches(@"^_[0-9a-f]{16}\z", stem);
        Assert.NotEqual(key, stem);
        Assert.NotEqual(stem, SidecarNames.Stem(key + "x"));
    }

    [Fact]
    public void LongKey_IsHashed_AndOverTheLimitIsAProblem()
    {
        Assert.StartsWith("_", SidecarNames.Stem(new string('a', 65)), StringComparison.Ordinal);
        Assert.Null(SidecarNames.Problem(new string('a', SidecarNames.MaxKeyBytes)));
        Assert.NotNull(SidecarNames.Problem(new string('a', SidecarNames.MaxKeyBytes + 1)));
        Assert.NotNull(SidecarNames.Problem(""));
    }
}
