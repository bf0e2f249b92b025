using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Podwake.Host;

/// <summary>
/// The libc calls behind <see cref="ConfinedDirectory"/>: the *at(2) family on directory descriptors, so no path is
/// resolved again after it was checked, and ownership changes on descriptors (fchown), never on paths.
/// </summary>
internal static partial class NativeFiles
{
    public const int AtFdCwd = -100;
    public const int AtSymlinkNoFollow = 0x100;
    public const int AtRemoveDir = 0x200;
    public const int AtEmptyPath = 0x1000;

    public const int ENOENT = 2;
    public const int EINTR = 4;
    public const int EAGAIN = 11;
    public const int EACCES = 13;
    public const int EEXIST = 17;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int ELOOP = 40;

    public const int ORdOnly = 0;
    public const int OWrOnly = 1;
    public const int ORdWr = 2;
    public const int OCreat = 0x40;
    public const int OExcl = 0x80;
    public const int ONoCtty = 0x100;
    public const int OTrunc = 0x200;

    /// <summary>O_NONBLOCK (04000 on x86 and the generic ABI alike): opening a FIFO returns at once instead of waiting for a writer.</summary>
    public const int ONonBlock = 0x800;
    public const int OCloexec = 0x80000;

    public const int LockSh = 1;
    public const int LockEx = 2;
    public const int LockNb = 4;

    /// <summary>statx(2)'s buffer is 256 bytes with the same layout on every architecture (unlike struct stat).</summary>
    public const int StatxSize = 256;

    private const int StatxBasicStats = 0x7ff;

    private static readonly bool GenericFlags =
        RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm;

    /// <summary>O_DIRECTORY: 0200000 on x86, 040000 on the generic (arm) ABI.</summary>
    public static int ODirectory => GenericFlags ? 0x4000 : 0x10000;

    /// <summary>O_NOFOLLOW: 0400000 on x86, 0100000 on the generic (arm) ABI.</summary>
    public static int ONoFollow => GenericFlags ? 0x8000 : 0x20000;

    public static int LastError => Marshal.GetLastPInvokeError();

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "openat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int OpenAt(SafeFileHandle directory, string name, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MkdirAt(SafeFileHandle directory, string name, int mode);

    [LibraryImport("libc", EntryPoint = "unlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int UnlinkAt(SafeFileHandle directory, string name, int flags);

    [LibraryImport("libc", EntryPoint = "renameat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int RenameAt(SafeFileHandle fromDirectory, string from, SafeFileHandle toDirectory, string to);

    [LibraryImport("libc", EntryPoint = "fchown", SetLastError = true)]
    public static partial int FChown(SafeFileHandle file, int uid, int gid);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    public static partial int FChmod(SafeFileHandle file, int mode);

    [LibraryImport("libc", EntryPoint = "symlinkat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int SymlinkAt(string target, SafeFileHandle directory, string name);

    [LibraryImport("libc", EntryPoint = "fchownat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int FChownAt(SafeFileHandle directory, string name, int uid, int gid, int flags);

    [LibraryImport("libc", EntryPoint = "lchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int LChown(string path, int uid, int gid);

    [LibraryImport("libc", EntryPoint = "flock", SetLastError = true)]
    public static partial int Flock(SafeFileHandle file, int operation);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(SafeFileHandle directory, string name, int flags, int mask, Span<byte> buffer);

    /// <summary>fstatat without following <paramref name="name"/> if it is a link ("" = the directory itself); null when it does not exist.</summary>
    public static FileStat? StatAt(SafeFileHandle directory, string name)
    {
        Span<byte> buffer = stackalloc byte[StatxSize];
        var flags = name.Length == 0 ? AtEmptyPath | AtSymlinkNoFollow : AtSymlinkNoFollow;
        if (Statx(directory, name, flags, StatxBasicStats, buffer) != 0)
        {
            var errno = LastError;
            return errno is ENOENT or ENOTDIR ? null : throw new IOException($"Failed to stat {name}: {Describe(errno)}");
        }

        // struct statx: stx_uid at 20, stx_gid at 24, stx_mode (u16) at 28.
        var uid = BitConverter.ToInt32(buffer[20..24]);
        var gid = BitConverter.ToInt32(buffer[24..28]);
        var mode = BitConverter.ToUInt16(buffer[28..30]);
        var inode = BitConverter.ToUInt64(buffer[32..40]);
        return new FileStat(uid, gid, mode, inode);
    }

    /// <summary>stat(2) of <paramref name="path"/>, following links; null when it does not exist.</summary>
    public static FileStat? Stat(string path)
    {
        using var cwd = new SafeFileHandle(AtFdCwd, ownsHandle: false);
        Span<byte> buffer = stackalloc byte[StatxSize];
        if (Statx(cwd, path, 0, StatxBasicStats, buffer) != 0)
        {
            var errno = LastError;
            return errno is ENOENT or ENOTDIR ? null : throw new IOException($"Failed to stat {path}: {Describe(errno)}");
        }

        return new FileStat(BitConverter.ToInt32(buffer[20..24]), BitConverter.ToInt32(buffer[24..28]), BitConverter.ToUInt16(buffer[28..30]), BitConverter.ToUInt64(buffer[32..40]));
    }

    /// <summary>strerror's text for <paramref name="errno"/>, as .NET's own messages show it.</summary>
    public static string Describe(int errno) => $"{Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})";
}
