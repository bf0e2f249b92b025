using Microsoft.Win32.SafeHandles;
using Podwake.Host;

namespace Podwake.Proxy;

/// <summary>
/// The socket file a unix listener bound, by path and inode: removed when the listener goes away, as systemd's
/// <c>RemoveOnStop=yes</c> does, but only while the path still is that very socket (never a file put there since).
/// </summary>
internal sealed record UnixSocketFile(string Path, ulong Inode)
{
    /// <summary>Unlinks the socket file if it is still ours; anything else at the path is left alone.</summary>
    public void Remove()
    {
        using var cwd = new SafeFileHandle(NativeFiles.AtFdCwd, ownsHandle: false);
        try
        {
            if (NativeFiles.StatAt(cwd, Path) is { IsSocket: true } stat && stat.Inode == Inode)
            {
                _ = NativeFiles.UnlinkAt(cwd, Path, 0);
            }
        }
        catch (IOException)
        {
            // The folder went away or cannot be read: nothing of ours to remove there.
        }
    }
}
