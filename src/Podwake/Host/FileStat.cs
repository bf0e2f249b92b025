namespace Podwake.Host;

/// <summary>What <see cref="NativeFiles.StatAt"/> reads of a file, not following it if it is a symbolic link.</summary>
/// <param name="Inode">The inode number (a network namespace's identity in /proc/PID/ns/net and /run/netns/NAME).</param>
internal readonly record struct FileStat(int Uid, int Gid, int Mode, ulong Inode = 0)
{
    private const int TypeMask = 0xF000;

    public bool IsDirectory => (Mode & TypeMask) == 0x4000;

    public bool IsRegularFile => (Mode & TypeMask) == 0x8000;

    public bool IsSymbolicLink => (Mode & TypeMask) == 0xA000;

    public bool IsSocket => (Mode & TypeMask) == 0xC000;

    /// <summary>"a symbolic link", "a directory", ... for messages.</summary>
    public string Kind => (Mode & TypeMask) switch
    {
        0x4000 => "a directory",
        0x8000 => "a regular file",
        0xA000 => "a symbolic link",
        0x1000 => "a FIFO",
        0xC000 => "a socket",
        _ => "a device",
    };
}
