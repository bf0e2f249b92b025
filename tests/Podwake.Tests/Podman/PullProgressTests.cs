using Microsoft.Extensions.Time.Testing;
using Podwake.Podman;
using Xunit;

namespace Podwake.Tests.Podman;

public sealed class PullProgressTests
{
    private const string Big = "0f9792da8bb3";
    private const string Small = "be72f40b7d1c";

    [Fact]
    public void NotATerminal_OneLinePerStep_WithSizeWhenKnown_NoCarriageReturn()
    {
        var time = new FakeTimeProvider();
        var lines = new List<string>();
        var progress = new PullProgress(time, lines.Add);

        progress.Report(new PullEvent(PullEventKind.LayerStarted, Big));
        progress.Report(new PullEvent(PullEventKind.LayerStarted, Small));
        progress.Report(new PullEvent(PullEventKind.LayerDone, Small));
        time.Advance(TimeSpan.FromSeconds(1));
        progress.Report(new PullEvent(PullEventKind.LayerProgress, Big, 8_000_000, 45_600_000));
        progress.Report(new PullEvent(PullEventKind.LayerExists, "c85583db7ed3"));
        time.Advance(TimeSpan.FromSeconds(4.6));
        progress.Report(new PullEvent(PullEventKind.LayerDone, Big));

        Assert.Equal(
            [
                $"pulling layer sha256:{Big}",
                $"pulling layer sha256:{Small}",
                $"layer sha256:{Small} done",
                "layer sha256:c85583db7ed3 already present",
                $"layer sha256:{Big} done (45.6 MB)",
            ],
            lines);
        Assert.Equal("pulled image r/app:1 (c85583db7ed3) — 45.6 MB in 5.6 s, 8.1 MB/s", progress.Summary("r/app:1", "c85583db7ed3a4c9e6c5b2d0"));
    }

    [Fact]
    public void Terminal_RedrawsEachLayerInPlace_WithBytesAndRate()
    {
        var time = new FakeTimeProvider();
        var terminal = new StringWriter();
        var progress = new PullProgress(time, _ => Assert.Fail("a plain line on a terminal"), terminal);

        progress.Report(new PullEvent(PullEventKind.LayerStarted, Big));
        progress.Report(new PullEvent(PullEventKind.LayerStarted, Small));
        time.Advance(TimeSpan.FromSeconds(2));
        progress.Report(new PullEvent(PullEventKind.LayerProgress, Big, 12_300_000, 45_600_000));

        var frames = terminal.ToString();
        Assert.Equal(
            $"\r\e[2K  sha256:{Big}  waiting\n" +
            $"\e[1A\r\e[2K  sha256:{Big}  waiting\n\r\e[2K  sha256:{Small}  waiting\n" +
            $"\e[2A\r\e[2K  sha256:{Big}  12.3 MB / 45.6 MB  6.2 MB/s\n\r\e[2K  sha256:{Small}  waiting\n",
            frames);
    }

    [Fact]
    public void Terminal_DoneLayerShowsItsSize()
    {
        var time = new FakeTimeProvider();
        var terminal = new StringWriter();
        var progress = new PullProgress(time, _ => { }, terminal);

        progress.Report(new PullEvent(PullEventKind.LayerProgress, Big, 1_000, 45_600_000));
        progress.Report(new PullEvent(PullEventKind.LayerDone, Big));

        Assert.EndsWith($"\e[1A\r\e[2K  sha256:{Big}  45.6 MB done\n", terminal.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void TextSteps_ArePlainLines_AndNoBytesMeansNoRateInTheSummary()
    {
        var time = new FakeTimeProvider();
        var lines = new List<string>();
        var progress = new PullProgress(time, lines.Add);

        progress.Report(new PullEvent(PullEventKind.Text, "Copying blob sha256:0a1b"));
        time.Advance(TimeSpan.FromSeconds(0.9));

        Assert.Equal(["Copying blob sha256:0a1b"], lines);
        Assert.Equal("pulled image app:1 (abc) in 0.9 s", progress.Summary("app:1", "abc"));
    }

    [Theory]
    [InlineData(512, "512 B")]
    [InlineData(12_345, "12.3 kB")]
    [InlineData(45_600_000, "45.6 MB")]
    [InlineData(1_200_000_000, "1.2 GB")]
    public void Size_IsInPowersOfAThousand(long bytes, string text) => Assert.Equal(text, PullProgress.Size(bytes));
}
