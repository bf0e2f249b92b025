using Xunit;

namespace Podwake.Tests.Specs;

/// <summary>A bind mount whose resolved host path podman's <c>-v</c> syntax cannot carry is a file error, with its place.</summary>
public sealed class VolumeHostPathTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    [Theory]
    [InlineData("a:b", ':')]
    [InlineData("a,b", ',')]
    public void FolderWithSeparatorInItsPath_RelativeVolume_IsAnErrorAtTheVolume(string folder, char separator)
    {
        var file = _dir.Write($"{folder}/web.yaml", "name: web\nimage: busybox\nports: [{listen: 127.0.0.1:8080, container: 80}]\nvolumes:\n  - ./www:/www:ro\n");

        var error = Assert.Single(SpecFile.ErrorsIn(file));
        Assert.StartsWith($"{file}:5:5: error: volumes[0]: the host path {Path.Join(_dir.Path, folder, "www")} contains '{separator}'", error, StringComparison.Ordinal);
        Assert.Contains("move the service folder", error, StringComparison.Ordinal);
    }

    [Fact]
    public void OrdinaryFolder_NamedVolumeAndRelativePath_AreAccepted()
    {
        var file = _dir.Write("plain/web.yaml", "name: web\nimage: busybox\nports: [{listen: 127.0.0.1:8080, container: 80}]\nvolumes:\n  - ./www:/www:ro\n  - data:/data\n");

        SpecFile.LoadOne(file);
    }

    public void Dispose() => _dir.Dispose();
}
