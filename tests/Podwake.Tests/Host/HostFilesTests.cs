using System.Diagnostics;
using System.Globalization;
using Podwake.Host;
using Xunit;

namespace Podwake.Tests.Host;

/// <summary>
/// Writes on another user's behalf (root deploying a <c>user:</c> service) below that user's home: nothing below the
/// home is followed, a link is refused, files are replaced by temporary file + rename. The "user" here is this
/// process's own account with a temporary folder as its home, so fchown is allowed without root.
/// </summary>
public sealed class HostFilesTests : IDisposable
{
    private readonly TempDirectory _home = new();
    private readonly TempDirectory _elsewhere = new();
    private readonly UnixUser _owner;

    public HostFilesTests()
    {
        var ids = File.ReadAllLines("/proc/self/status");
        int Id(string key) => int.Parse(ids.First(l => l.StartsWith(key, StringComparison.Ordinal)).Split('\t')[1], CultureInfo.InvariantCulture);
        _owner = new UnixUser("someone", Id("Uid:"), Id("Gid:"), _home.Path);
    }

    private string UnitDirectory => Path.Join(_home.Path, ".config", "systemd", "user");

    [Fact]
    public async Task SymlinkedComponent_IsRefused_AndNothingLandsAtItsTarget()
    {
        Directory.CreateDirectory(Path.Join(_home.Path, ".config", "systemd"));
        File.CreateSymbolicLink(UnitDirectory, _elsewhere.Path);

        var refused = await Assert.ThrowsAsync<UnsafePathException>(
            () => HostFiles.WriteAtomicallyAsync(Path.Join(UnitDirectory, "podwake-x.socket"), "[Socket]\n", _owner));

        Assert.Equal($"refusing to deploy into {UnitDirectory}: it is a symbolic link to {_elsewhere.Path}; remove it (rm ~someone/.config/systemd/user) and deploy again", refused.Message);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_elsewhere.Path));
    }

    [Fact]
    public async Task SymlinkedConfig_IsRefused_EvenWhereDirectoriesAreStillToBeCreated()
    {
        File.CreateSymbolicLink(Path.Join(_home.Path, ".config"), _elsewhere.Path);

        var refused = await Assert.ThrowsAsync<UnsafePathException>(
            () => HostFiles.WriteAtomicallyAsync(Path.Join(UnitDirectory, "podwake-x.socket"), "[Socket]\n", _owner));

        Assert.Contains(".config: it is a symbolic link to", refused.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFileSystemEntries(_elsewhere.Path));
    }

    [Fact]
    public async Task SymlinkedFinalFile_IsNeitherWrittenThroughNorReplaced()
    {
        Directory.CreateDirectory(UnitDirectory);
        var target = Path.Join(_elsewhere.Path, "root-file");
        File.WriteAllText(target, "root's\n");
        var link = Path.Join(UnitDirectory, "podwake-x.service");
        File.CreateSymbolicLink(link, target);

        var refused = await Assert.ThrowsAsync<UnsafePathException>(() => HostFiles.WriteAtomicallyAsync(link, "[Service]\n", _owner));

        Assert.Contains("it is a symbolic link to", refused.Message, StringComparison.Ordinal);
        Assert.Equal("root's\n", File.ReadAllText(target));
        Assert.Throws<UnsafePathException>(() => HostFiles.ReadOrNull(link, _owner));
        Assert.Equal([link], Directory.EnumerateFileSystemEntries(UnitDirectory));
    }

    [Fact]
    public void DeleteOfSymlinkedFile_RemovesTheLinkNotItsTarget()
    {
        Directory.CreateDirectory(UnitDirectory);
        var target = Path.Join(_elsewhere.Path, "root-file");
        File.WriteAllText(target, "root's\n");
        var link = Path.Join(UnitDirectory, "podwake-x.service");
        File.CreateSymbolicLink(link, target);

        Assert.True(HostFiles.Delete(link, _owner));

        Assert.Equal("root's\n", File.ReadAllText(target));
        Assert.Empty(Directory.EnumerateFileSystemEntries(UnitDirectory));
    }

    [Fact]
    public void DeleteThroughSymlinkedDirectory_IsRefused_AndTheTargetStays()
    {
        Directory.CreateDirectory(Path.Join(_home.Path, ".config", "systemd"));
        File.CreateSymbolicLink(UnitDirectory, _elsewhere.Path);
        File.WriteAllText(Path.Join(_elsewhere.Path, "podwake-x.socket"), "root's\n");

        Assert.Throws<UnsafePathException>(() => HostFiles.Delete(Path.Join(UnitDirectory, "podwake-x.socket"), _owner));

        Assert.True(File.Exists(Path.Join(_elsewhere.Path, "podwake-x.socket")));
    }

    [Fact]
    public async Task DirectoryOwnedBySomeoneElse_IsRefused()
    {
        Directory.CreateDirectory(UnitDirectory);
        var stranger = _owner with { Name = "stranger", Uid = _owner.Uid + 1 };

        var refused = await Assert.ThrowsAsync<UnsafePathException>(
            () => HostFiles.WriteAtomicallyAsync(Path.Join(UnitDirectory, "podwake-x.socket"), "[Socket]\n", stranger));

        Assert.Contains($"{Path.Join(_home.Path, ".config")}: it is owned by", refused.Message, StringComparison.Ordinal);
        Assert.Contains("chown stranger: ~stranger/.config", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Write_ReplacesByRename_LeavesNoTemporaryFile_AndCreatesTheDirectories()
    {
        var path = Path.Join(UnitDirectory, "podwake-x.service");
        await HostFiles.WriteAtomicallyAsync(path, "old\n", _owner);
        using var reader = new FileStream(path, FileMode.Open, FileAccess.Read);

        await HostFiles.WriteAtomicallyAsync(path, "new\n", _owner);

        // The old inode is untouched (an open reader still sees it): the new bytes came in by rename, never in place.
        Assert.Equal("old\n", new StreamReader(reader).ReadToEnd());
        Assert.Equal("new\n", File.ReadAllText(path));
        Assert.Equal([path], Directory.EnumerateFileSystemEntries(UnitDirectory));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, File.GetUnixFileMode(path));
        Assert.Equal("new\n", HostFiles.ReadOrNull(path, _owner));
        Assert.Null(HostFiles.ReadOrNull(Path.Join(UnitDirectory, "missing"), _owner));
    }

    [Fact]
    public void FifoInPlaceOfAFile_IsRefusedWithoutHanging()
    {
        Directory.CreateDirectory(UnitDirectory);
        var fifo = Path.Join(UnitDirectory, "podwake-x.socket");
        using (var mkfifo = Process.Start("mkfifo", [fifo]))
        {
            mkfifo.WaitForExit();
        }

        var refused = Assert.Throws<UnsafePathException>(() => HostFiles.ReadOrNull(fifo, _owner));
        Assert.Contains("it is a FIFO", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LockFileLink_IsRefused_AndItsTargetKeepsItsOwner()
    {
        var runtime = Path.Join(_home.Path, "run");
        Directory.CreateDirectory(runtime);
        var target = Path.Join(_elsewhere.Path, "shadow");
        File.WriteAllText(target, "secret\n");
        File.CreateSymbolicLink(Path.Join(runtime, "podwake-x.lock"), target);

        Assert.Throws<UnsafePathException>(() => HostFiles.OpenLockFile(Path.Join(runtime, "podwake-x.lock"), _owner));
        Assert.Equal("secret\n", File.ReadAllText(target));
    }

    public void Dispose()
    {
        _home.Dispose();
        _elsewhere.Dispose();
    }
}
