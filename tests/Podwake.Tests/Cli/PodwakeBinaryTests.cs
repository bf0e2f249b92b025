using Podwake.Cli;
using Xunit;

namespace Podwake.Tests.Cli;

public sealed class PodwakeBinaryTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    /// <summary>Run through PATH's link (as scripts/install-podwake makes it: relative), the units name the installed file.</summary>
    [Fact]
    public void Resolve_LinkOnPath_IsTheInstalledFile()
    {
        var installed = Path.Join(_dir.CreateDirectory("lib/podwake"), "podwake");
        File.WriteAllText(installed, "");
        var link = Path.Join(_dir.CreateDirectory("bin"), "podwake");
        File.CreateSymbolicLink(link, "../lib/podwake/podwake");

        Assert.Equal(installed, PodwakeBinary.Resolve(link));
    }

    /// <summary>A deploy running while scripts/setup renamed a new binary over its own: the path, not "... (deleted)".</summary>
    [Fact]
    public void Resolve_ReplacedWhileRunning_IsTheInstalledPath()
    {
        var installed = Path.Join(_dir.CreateDirectory("lib/podwake"), "podwake");
        File.WriteAllText(installed, "");

        Assert.Equal(installed, PodwakeBinary.Resolve(installed + " (deleted)"));
    }

    [Fact]
    public void SourceTreeOf_BuildOutput_IsTheCheckout_InstalledBinary_IsNull()
    {
        var checkout = _dir.CreateDirectory("checkout");
        File.WriteAllText(Path.Join(checkout, "podwake.slnx"), "<Solution />");
        var published = Path.Join(checkout, "artifacts", "publish", "podwake");

        Assert.Equal(checkout, PodwakeBinary.SourceTreeOf(published));
        Assert.Equal(checkout, PodwakeBinary.SourceTreeOf(Path.Join(checkout, "src", "Podwake", "bin", "Release", "net10.0", "podwake")));
        Assert.Null(PodwakeBinary.SourceTreeOf(Path.Join(_dir.Path, "prefix", "lib", "podwake", "podwake")));
        Assert.Null(PodwakeBinary.SourceTreeWarning(Path.Join(_dir.Path, "prefix", "lib", "podwake", "podwake")));
        var warning = PodwakeBinary.SourceTreeWarning(published);
        Assert.NotNull(warning);
        Assert.StartsWith($"podwake: warning: the deployed units will run {published}, inside the source tree {checkout}:", warning, StringComparison.Ordinal);
    }
}
