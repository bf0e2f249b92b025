using Podwake.Podman;
using Podwake.Specs;
using Podwake.Updates;
using Xunit;

namespace Podwake.Tests.Updates;

/// <summary>When an update pulls and when it re-creates, as podman auto-update decides it.</summary>
public sealed class ImageCheckTests
{
    private const string Image = "127.0.0.1:5601/web:1";
    private const string Old = "sha256:1111111111111111111111111111111111111111111111111111111111111111";
    private const string New = "sha256:2222222222222222222222222222222222222222222222222222222222222222";

    private static readonly ImageInspect OldImage = new()
    {
        Id = "aaa", Digest = "sha256:built", RepoDigests = ["127.0.0.1:5601/web@sha256:built", $"127.0.0.1:5601/web@{Old}", "localhost/web@sha256:built"],
    };
    private static readonly ImageInspect NewImage = new() { Id = "bbb", Digest = New, RepoDigests = [$"127.0.0.1:5601/web@{New}"] };

    [Fact]
    public async Task Registry_SameDigest_IsUpToDate()
    {
        var check = await CheckAsync(UpdatePolicy.Registry, tag: OldImage, containerImage: "aaa", remote: Old);

        Assert.False(check.NeedsPull);
        Assert.False(check.Changed);
        Assert.Equal(Old, check.CurrentDigest);
    }

    [Fact]
    public async Task Registry_NewDigest_PullsAndRecreates()
    {
        var check = await CheckAsync(UpdatePolicy.Registry, tag: OldImage, containerImage: "aaa", remote: New);

        Assert.True(check.NeedsPull);
        Assert.True(check.Changed);
        Assert.Equal((Old, New), (check.CurrentDigest, check.AvailableDigest));
    }

    [Fact]
    public async Task Registry_PulledAlreadyButContainerOnTheOldImage_RecreatesWithoutPull()
    {
        var check = await CheckAsync(UpdatePolicy.Registry, tag: NewImage, containerImage: "aaa", remote: New);

        Assert.False(check.NeedsPull);
        Assert.True(check.Changed);
    }

    [Fact]
    public async Task Registry_AMultiArchIndexDigestAmongTheRepoDigests_IsUpToDate()
    {
        const string index = "sha256:3333333333333333333333333333333333333333333333333333333333333333";
        var pulledThroughIndex = OldImage with { RepoDigests = [$"127.0.0.1:5601/web@{index}", $"127.0.0.1:5601/web@{Old}"] };

        var check = await CheckAsync(UpdatePolicy.Registry, tag: pulledThroughIndex, containerImage: "aaa", remote: index);

        Assert.False(check.Changed);
    }

    [Fact]
    public async Task Local_TagNamesAnotherImage_RecreatesAndNeverAsksTheRegistry()
    {
        var check = await CheckAsync(UpdatePolicy.Local, tag: NewImage, containerImage: "aaa", remote: null);

        Assert.False(check.NeedsPull);
        Assert.True(check.Changed);
        Assert.Equal((Old, New), (check.CurrentDigest, check.AvailableDigest));
    }

    [Fact]
    public async Task Local_SameImage_IsUpToDate()
    {
        var check = await CheckAsync(UpdatePolicy.Local, tag: OldImage, containerImage: "aaa", remote: null);

        Assert.False(check.Changed);
    }

    [Fact]
    public void DigestOf_PrefersTheRepositorysRepoDigest_OverTheStoredDigest()
    {
        Assert.Equal(Old, ImageCheck.DigestOf(OldImage, Image));
        Assert.Null(ImageCheck.DigestOf(new ImageInspect { Id = "ccc" }, Image));

        // The tag moved on: the registry's digest is still among the image's other names'.
        Assert.Equal(Old, ImageCheck.DigestOf(OldImage with { RepoDigests = ["localhost/web@sha256:built", $"localhost/web@{Old}"] }, Image));
    }

    [Theory]
    [InlineData("127.0.0.1:5601/web:1", "127.0.0.1:5601/web@sha256:ab")]
    [InlineData("127.0.0.1:5601/web", "127.0.0.1:5601/web@sha256:ab")]
    [InlineData("localhost/team/web:1@sha256:cd", "localhost/team/web@sha256:ab")]
    public void Pinned_NamesTheManifestByDigest(string reference, string pinned) => Assert.Equal(pinned, ImageCheck.Pinned(reference, "sha256:ab"));

    private static Task<ImageCheckResult> CheckAsync(UpdatePolicy policy, ImageInspect tag, string containerImage, string? remote)
    {
        var images = new Dictionary<string, ImageInspect> { [Image] = tag, [OldImage.Id] = OldImage, [NewImage.Id] = NewImage };
        return ImageCheck.CheckAsync(Image, policy, containerImage, (reference, _) => Task.FromResult(images.GetValueOrDefault(reference)),
            new Registry(remote), CancellationToken.None);
    }

    private sealed class Registry(string? digest) : IRegistryDigests
    {
        public Task<string> GetDigestAsync(string imageReference, CancellationToken cancellationToken) =>
            digest is null ? throw new InvalidOperationException("the registry was asked") : Task.FromResult(digest);

        public (string User, string Password)? CredentialsFor(string imageReference) => null;

        public void Dispose()
        {
        }
    }
}
