using System.Diagnostics;
using Podwake.IntegrationTests.Infrastructure;
using Podwake.Podman;
using Xunit;

namespace Podwake.IntegrationTests.Podman;

[Collection(PodmanCollection.Name)]
public sealed class ImageBuilderTests : IDisposable
{
    private readonly PodmanFixture _podman;
    private readonly TempDirectory _context = new();
    private readonly string _tag = $"localhost/{TestNames.Unique()}:1";

    public ImageBuilderTests(PodmanFixture podman) => _podman = podman;

    public void Dispose()
    {
        // There is no image removal in the client (podwake never removes images per wake): use the CLI.
        using var rmi = Process.Start(new ProcessStartInfo("podman", ["rmi", "--ignore", "--force", _tag])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        });
        rmi?.WaitForExit(TimeSpan.FromSeconds(30));
        _context.Dispose();
    }

    [PodmanFact]
    public async Task Build_FromScratchBusybox_ImageExists()
    {
        TestImages.WriteBusyboxContext(_context.Path);

        var id = await new ImageBuilder().BuildAsync(_context.Path, null, null, _tag, CancellationToken.None);

        Assert.Matches("^(sha256:)?[0-9a-f]{64}$", id);
        Assert.True(await _podman.Client.ImageExistsAsync(_tag, CancellationToken.None));
    }

    [PodmanFact]
    public async Task Build_WithContainerfileAndArgs_UsesThem()
    {
        TestImages.WriteBusyboxContext(_context.Path);
        await File.WriteAllTextAsync(Path.Combine(_context.Path, "Other.containerfile"), """
            FROM scratch
            ARG PAGE=missing
            COPY busybox /bin/busybox
            COPY www/index.html /www/${PAGE}
            """);
        var args = new Dictionary<string, string> { ["PAGE"] = "page.html" };

        await new ImageBuilder().BuildAsync(_context.Path, Path.Combine(_context.Path, "Other.containerfile"), args, _tag, CancellationToken.None);

        Assert.True(await _podman.Client.ImageExistsAsync(_tag, CancellationToken.None));
    }

    [PodmanFact]
    public async Task Build_MissingFile_ThrowsWithTheTailOfPodmansOutput()
    {
        await File.WriteAllTextAsync(Path.Combine(_context.Path, "Containerfile"), "FROM scratch\nCOPY not-there /x\n");

        var error = await Assert.ThrowsAsync<ImageBuildException>(
            () => new ImageBuilder().BuildAsync(_context.Path, null, null, _tag, CancellationToken.None));

        Assert.NotEqual(0, error.ExitCode);
        Assert.Contains("not-there", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Build_PodmanMissing_SaysWhatToInstall()
    {
        var builder = new ImageBuilder("/nonexistent/podman");

        var error = await Assert.ThrowsAsync<PodmanUnavailableException>(
            () => builder.BuildAsync(_context.Path, null, null, _tag, CancellationToken.None));

        Assert.Contains("apt-get install podman", error.Message, StringComparison.Ordinal);
    }
}
