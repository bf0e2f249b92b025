using System.Text;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;
using Podwake.Activation;
using Podwake.Host;
using Podwake.Logs;
using Xunit;

namespace Podwake.Tests.Logs;

public sealed class ServiceLogFileTests : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("podwake-logs-");
    private readonly List<string> _warnings = [];

    private RuntimePaths Paths => new(Path.Combine(_root.FullName, "podwake"));

    public void Dispose() => _root.Delete(recursive: true);

    [Fact]
    public void Append_WritesOneJsonLineInPrivateFiles()
    {
        using (var file = new ServiceLogFile(Paths, "web", _warnings.Add))
        {
            file.Append(Bytes("one\n"));
            file.Append(Bytes("two\n"));
        }

        Assert.Equal("one\ntwo\n", File.ReadAllText(Paths.LogFile("web")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Paths.LogFile("web")));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Paths.LogDirectory));
        Assert.Empty(_warnings);
    }

    [Fact]
    public void Append_PastTheLimit_RotatesToOneOldFile()
    {
        using (var file = new ServiceLogFile(Paths, "web", _warnings.Add, rotateBytes: 10))
        {
            file.Append(Bytes("aaaa\n"));
            file.Append(Bytes("bbbb\n"));
            file.Append(Bytes("cccc\n")); // 15 bytes: rotated first
            file.Append(Bytes("dddd\n"));
            file.Append(Bytes("eeee\n")); // rotated again: aaaa and bbbb are gone
        }

        Assert.Equal("cccc\ndddd\n", File.ReadAllText(Paths.OldLogFile("web")));
        Assert.Equal("eeee\n", File.ReadAllText(Paths.LogFile("web")));
    }

    [Fact]
    public void Append_ToAPlantedLink_RefusesAndWarnsOnce()
    {
        Directory.CreateDirectory(Paths.LogDirectory);
        var target = Path.Combine(_root.FullName, "target");
        File.WriteAllText(target, "");
        File.CreateSymbolicLink(Paths.LogFile("web"), target);

        using (var file = new ServiceLogFile(Paths, "web", _warnings.Add))
        {
            file.Append(Bytes("one\n"));
            file.Append(Bytes("two\n"));
        }

        Assert.Equal("", File.ReadAllText(target));
        Assert.Single(_warnings);
        Assert.Contains(Paths.LogFile("web"), _warnings[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Append_DiskFull_DropsTheLineWithOneWarningAndRecovers()
    {
        var full = true;
        using (var file = new ServiceLogFile(Paths, "web", _warnings.Add, write: (handle, bytes, offset) =>
               {
                   if (full)
                   {
                       throw new IOException("No space left on device");
                   }

                   RandomAccess.Write(handle, bytes.Span, offset);
               }))
        {
            file.Append(Bytes("lost1\n"));
            file.Append(Bytes("lost2\n"));
            full = false;
            file.Append(Bytes("kept\n"));
        }

        Assert.Equal("kept\n", File.ReadAllText(Paths.LogFile("web")));
        Assert.Single(_warnings);
        Assert.Contains("No space left on device", _warnings[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Provider_KeepsOnlyTheServicesCategories_AsJson()
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 30, 18, 0, 0, 123, TimeSpan.Zero));
        using (var provider = new ServiceLogProvider(Paths, ["web"], time, _warnings.Add))
        {
            ActivationLog.Ready(provider.CreateLogger("podwake.web"), "web", 312.4);
            ActivationLog.Ready(provider.CreateLogger("podwake.serve"), "web", 1);
            ActivationLog.Ready(provider.CreateLogger("podwake.webx"), "webx", 1);
            provider.CreateLogger("podwake.web.proxy").LogWarning(new EventId(103, "ConnectFailed"), "web: failed to connect");
        }

        var lines = File.ReadAllLines(Paths.LogFile("web"));
        Assert.Equal(2, lines.Length);
        Assert.Equal(
            """{"time":"2026-11-30T18:00:00.123Z","service":"web","level":"Information","id":2,"event":"Ready","message":"web: ready in 312 ms","fields":{"Service":"web","Milliseconds":"312.4"}}""",
            lines[0]);
        Assert.Contains("\"id\":103", lines[1], StringComparison.Ordinal);
        Assert.False(File.Exists(Paths.LogFile("webx")));
    }

    [Theory]
    [InlineData("podwake.web", "web")]
    [InlineData("podwake.web.proxy", "web")]
    [InlineData("podwake.web-2", "web-2")]
    [InlineData("podwake.webx", null)]
    [InlineData("podwake.serve", null)]
    [InlineData("other.web", null)]
    public void ServiceOf_MatchesTheServiceCategoryOnly(string category, string? service) =>
        Assert.Equal(service, ServiceLogProvider.ServiceOf(category, ["web", "web-2"]));

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);
}
