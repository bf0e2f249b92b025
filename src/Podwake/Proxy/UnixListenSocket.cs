using System.Globalization;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;
using Podwake.Host;
using Podwake.Specs;

namespace Podwake.Proxy;

/// <summary>
/// Binds a unix stream socket listener (<c>listen: /run/web.sock</c> or <c>@web</c>) as systemd's
/// <c>ListenStream=</c> does: the parent folders are created, the file gets <c>mode:</c> and <c>owner:</c>. Unlike
/// systemd, which unlinks whatever is at the path, only a stale socket (one nobody listens on, left by a serve that
/// was killed) is removed first: a regular file, a folder or a symbolic link there is refused and left untouched.
/// </summary>
internal static partial class UnixListenSocket
{
    private const int ECONNREFUSED = 111;

    /// <summary>O_PATH: a descriptor that names the file without opening it (the same value on x86 and arm).</summary>
    private const int OPath = 0x200000;

    /// <param name="uid">The owner to give the socket file; null: this process's.</param>
    /// <param name="gid">The group to give the socket file; null: this process's.</param>
    /// <returns>The listening socket, and the socket file to remove at exit (null for an abstract name).</returns>
    public static (Socket Socket, UnixSocketFile? File) Bind(UnixListen unix, int? uid, int? gid)
    {
        if (unix.IsAbstract)
        {
            // .NET writes an endpoint that starts with NUL as an abstract address (no file, no trailing NUL).
            return (Listen(unix.Path, unix.Path[1..], isAbstract: true), null);
        }

        var parent = Path.GetDirectoryName(unix.Path)!;
        try
        {
            // systemd creates the parent folders of a ListenStream= path (0755): so does serve.
            Directory.CreateDirectory(parent);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new EnvironmentException($"Failed to listen on {unix.Path}: cannot create its folder {parent}: {ex.Message}; create it, or choose a path in a folder this user may write (rootless: under $XDG_RUNTIME_DIR)", ex);
        }

        RemoveIfStale(unix.Path);
        var socket = Listen(unix.Path, unix.Path, isAbstract: false);
        try
        {
            var inode = SetPermissions(unix, uid, gid);
            return (socket, new UnixSocketFile(unix.Path, inode));
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    /// <summary>
    /// socket(2), bind(2) and listen(2) by hand, then adopted as systemd's sockets are (<see cref="Socket(SafeSocketHandle)"/>):
    /// a socket .NET bound to a path itself unlinks that path when disposed, whatever is there by then; serve removes
    /// its socket file itself, and only while it is still that socket (<see cref="UnixSocketFile"/>).
    /// </summary>
    private static Socket Listen(string display, string name, bool isAbstract)
    {
        var handle = new SafeSocketHandle(SocketRaw(AfUnix, SockStream | SockCloexec, 0), ownsHandle: true);
        try
        {
            if (handle.IsInvalid)
            {
                throw new SocketException(Marshal.GetLastPInvokeError());
            }

            // struct sockaddr_un: sa_family_t (AF_UNIX), then the path with its NUL, or NUL and the abstract name.
            var path = System.Text.Encoding.UTF8.GetBytes(name);
            var address = new byte[2 + (isAbstract ? 1 : 0) + path.Length + (isAbstract ? 0 : 1)];
            address[0] = AfUnix;
            path.CopyTo(address, isAbstract ? 3 : 2);
            if (BindRaw(handle, address, address.Length) != 0 || ListenRaw(handle, ListenDefaults.Backlog) != 0)
            {
                throw new SocketException(Marshal.GetLastPInvokeError());
            }

            return new Socket(handle);
        }
        catch (SocketException ex)
        {
            handle.Dispose();
            throw new EnvironmentException(ex.SocketErrorCode switch
            {
                SocketError.AddressAlreadyInUse => $"Failed to listen on {display}: the address is already in use; find the owner with `ss -xlp 'src {display}'` and stop it, or choose another listen: path",
                SocketError.AccessDenied => $"Failed to listen on {display}: permission denied in its folder; choose a path this user may write (rootless: under $XDG_RUNTIME_DIR, e.g. /run/user/UID/NAME.sock)",
                _ => $"Failed to listen on {display}: {ex.Message}",
            }, ex);
        }
    }

    /// <summary>A socket at the path that refuses connections is a dead listener's: removed. Anything else is refused.</summary>
    private static void RemoveIfStale(string path)
    {
        using var cwd = new SafeFileHandle(NativeFiles.AtFdCwd, ownsHandle: false);
        if (NativeFiles.StatAt(cwd, path) is not { } stat)
        {
            return;
        }

        if (!stat.IsSocket)
        {
            throw new EnvironmentException(
                $"Failed to listen on {path}: the path is {stat.Kind}, not a socket; podwake removes only a stale socket there and left it untouched: remove it yourself if it is not needed, or choose another listen: path");
        }

        using var probe = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified) { Blocking = false };
        try
        {
            probe.Connect(new UnixDomainSocketEndPoint(path));
        }
        catch (SocketException ex) when (ex.NativeErrorCode == ECONNREFUSED)
        {
            // Nobody listens: a serve killed before it could remove its socket (systemd's RemoveOnStop= would not
            // have run either). connect(2) does not follow a link at the path's end only if it is a socket, which
            // StatAt (no follow) just saw.
            if (NativeFiles.UnlinkAt(cwd, path, 0) != 0 && NativeFiles.LastError != NativeFiles.ENOENT)
            {
                throw new EnvironmentException($"Failed to listen on {path}: cannot remove the stale socket there: {NativeFiles.Describe(NativeFiles.LastError)}; remove it and run again");
            }

            return;
        }
        catch (SocketException)
        {
            // EAGAIN (a full backlog) and the like: somebody listens.
        }

        throw new EnvironmentException($"Failed to listen on {path}: a running process listens there; find it with `ss -xlp 'src {path}'` and stop it, or choose another listen: path");
    }

    /// <summary>chmod and chown the socket file through an O_PATH descriptor, so a link swapped in meanwhile is never followed.</summary>
    /// <returns>The socket file's inode.</returns>
    private static ulong SetPermissions(UnixListen unix, int? uid, int? gid)
    {
        using var file = new SafeFileHandle(NativeFiles.Open(unix.Path, OPath | NativeFiles.ONoFollow | NativeFiles.OCloexec, 0), ownsHandle: true);
        if (file.IsInvalid)
        {
            throw new EnvironmentException($"Failed to set the mode of {unix.Path}: {NativeFiles.Describe(NativeFiles.LastError)}");
        }

        if (NativeFiles.StatAt(file, "") is not { IsSocket: true } stat)
        {
            throw new EnvironmentException($"Failed to set the mode of {unix.Path}: the path was replaced by something that is not a socket while podwake bound it; run again");
        }

        // chmod(2) and chown(2) of /proc/self/fd/N reach the file the descriptor names (fchmod of an O_PATH descriptor is EBADF).
        var proc = "/proc/self/fd/" + file.DangerousGetHandle().ToInt32().ToString(CultureInfo.InvariantCulture);
        if (Chmod(proc, unix.Mode) != 0)
        {
            throw new EnvironmentException($"Failed to set mode {unix.ModeText} on {unix.Path}: {NativeFiles.Describe(NativeFiles.LastError)}");
        }

        if ((uid is not null || gid is not null) && Chown(proc, uid ?? -1, gid ?? -1) != 0)
        {
            throw new EnvironmentException(
                $"Failed to give {unix.Path} to owner {unix.OwnerText}: {NativeFiles.Describe(NativeFiles.LastError)}; only root may give a file to another user, and a user only to a group of its own: run as root, or change owner:");
        }

        return stat.Inode;
    }

    private const byte AfUnix = 1;
    private const int SockStream = 1;
    private const int SockCloexec = 0x80000;

    [LibraryImport("libc", EntryPoint = "socket", SetLastError = true)]
    private static partial int SocketRaw(int domain, int type, int protocol);

    [LibraryImport("libc", EntryPoint = "listen", SetLastError = true)]
    private static partial int ListenRaw(SafeSocketHandle socket, int backlog);

    [LibraryImport("libc", EntryPoint = "bind", SetLastError = true)]
    private static partial int BindRaw(SafeSocketHandle socket, byte[] address, int length);

    [LibraryImport("libc", EntryPoint = "chmod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chmod(string path, int mode);

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Chown(string path, int uid, int gid);
}
