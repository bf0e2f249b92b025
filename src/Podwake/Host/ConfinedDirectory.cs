using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Podwake.Host;

/// <summary>
/// A directory held open by descriptor and reached from a trusted root one component at a time with
/// <c>openat(O_NOFOLLOW|O_DIRECTORY)</c>: what root writes, creates, chowns or removes below it can never land outside,
/// whatever the directory's owner renames or links meanwhile. Files are written as a temporary file made with
/// <c>O_CREAT|O_EXCL|O_NOFOLLOW</c>, chowned through its descriptor (fchown, never a path) and renamed within the
/// directory (renameat), so a reader sees the old file or the new one, never half.
/// </summary>
/// <remarks>
/// The root itself is opened as its path says, links included: it is the home (or runtime directory) the passwd
/// database names, which only root can point elsewhere. Below it nothing is followed: a symbolic link, a non-directory
/// or (with an owner) a directory that owner does not own is refused with <see cref="UnsafePathException"/>.
/// </remarks>
internal sealed partial class ConfinedDirectory : IDisposable
{
    private const int DirectoryFlags = NativeFiles.ORdOnly | NativeFiles.OCloexec;
    private const int ONonBlock = 0x800;

    private static readonly UTF8Encoding Utf8 = new(false);

    private readonly SafeFileHandle _handle;
    private readonly UnixUser? _owner;
    private readonly bool _ownedByOwner;
    private readonly string _display;

    private ConfinedDirectory(SafeFileHandle handle, string path, string display, UnixUser? owner, bool ownedByOwner)
    {
        _handle = handle;
        Path = path;
        _display = display;
        _owner = owner;
        _ownedByOwner = ownedByOwner;
    }

    /// <summary>The directory's path as it was reached (for messages; never opened again).</summary>
    public string Path { get; }

    /// <summary>Opens the trusted root <paramref name="path"/> (links in it are followed: it is the administrator's).</summary>
    /// <param name="owner">Who gets what is created below (and must own the directories below when <paramref name="ownedByOwner"/>); null = root keeps it.</param>
    /// <param name="display">How a fix names the root in a message (e.g. <c>~u</c>); the path by default.</param>
    public static ConfinedDirectory OpenRoot(string path, UnixUser? owner, bool ownedByOwner, string? display = null)
    {
        var fd = NativeFiles.Open(path, DirectoryFlags | NativeFiles.ODirectory, 0);
        if (fd < 0)
        {
            var errno = NativeFiles.LastError;
            throw errno == NativeFiles.ENOENT
                ? new DirectoryNotFoundException($"Failed to open {path}: it does not exist")
                : new IOException($"Failed to open {path}: {NativeFiles.Describe(errno)}");
        }

        return new ConfinedDirectory(new SafeFileHandle(fd, ownsHandle: true), path, display ?? path, owner, ownedByOwner);
    }

    /// <summary>
    /// The directory <paramref name="relative"/> below this one (null when a component is missing and
    /// <paramref name="create"/> is false); missing components are created with <paramref name="mode"/>, owned by the owner.
    /// </summary>
    public ConfinedDirectory? Open(string relative, bool create = false, UnixFileMode mode = DefaultDirectoryMode)
    {
        ConfinedDirectory current = this;
        foreach (var name in relative.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            var child = current.OpenChild(name, create, mode);
            if (!ReferenceEquals(current, this))
            {
                current.Dispose();
            }

            if (child is null)
            {
                return null;
            }

            current = child;
        }

        return ReferenceEquals(current, this) ? Reopen() : current;
    }

    public const UnixFileMode DefaultDirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute | UnixFileMode.GroupRead | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public const UnixFileMode DefaultFileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>Gives this directory (the descriptor, not a path) <paramref name="mode"/>.</summary>
    public void SetMode(UnixFileMode mode) => Check(NativeFiles.FChmod(_handle, (int)mode), "change the mode of", Path);

    /// <summary>What is at <paramref name="name"/>, not following a link; null when nothing is.</summary>
    public FileStat? Stat(string name) => NativeFiles.StatAt(_handle, name);

    public void Dispose() => _handle.Dispose();

    private ConfinedDirectory? OpenChild(string name, bool create, UnixFileMode mode)
    {
        var flags = DirectoryFlags | NativeFiles.ODirectory | NativeFiles.ONoFollow;
        var fd = NativeFiles.OpenAt(_handle, name, flags, 0);
        var created = false;
        if (fd < 0 && NativeFiles.LastError == NativeFiles.ENOENT && create)
        {
            if (NativeFiles.MkdirAt(_handle, name, (int)mode) == 0)
            {
                created = true;
            }
            else if (NativeFiles.LastError != NativeFiles.EEXIST)
            {
                throw new IOException($"Failed to create {Child(name)}: {NativeFiles.Describe(NativeFiles.LastError)}");
            }

            // Whatever is there now is checked like any other entry: a link swapped in after mkdirat is refused here.
            fd = NativeFiles.OpenAt(_handle, name, flags, 0);
        }

        if (fd < 0)
        {
            var errno = NativeFiles.LastError;
            if (errno == NativeFiles.ENOENT)
            {
                return null;
            }

            throw errno is NativeFiles.ELOOP or NativeFiles.ENOTDIR
                ? Refusal(name, Stat(name))
                : new IOException($"Failed to open {Child(name)}: {NativeFiles.Describe(errno)}");
        }

        var child = new ConfinedDirectory(new SafeFileHandle(fd, ownsHandle: true), Child(name), $"{_display}/{name}", _owner, _ownedByOwner);
        try
        {
            if (created)
            {
                // mkdirat applied the umask; the descriptor is the directory made above (or a racing one of the owner's).
                child.SetMode(mode);
                child.GiveToOwner(child._handle, child.Path);
            }
            else if (_ownedByOwner && _owner is not null && NativeFiles.StatAt(child._handle, "") is { } stat && stat.Uid != _owner.Uid)
            {
                throw new UnsafePathException(
                    child.Path,
                    $"it is owned by {(stat.Uid == 0 ? "root" : $"UID {stat.Uid}")}, not by {_owner.Name}",
                    $"remove it or give it to {_owner.Name} (chown {_owner.Name}: {child._display})");
            }

            return child;
        }
        catch
        {
            child.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A new descriptor of this directory itself, e.g. to flock(2) it: unlike a lock file inside, nobody who can only
    /// write inside can replace it or plant a FIFO or a link in its place.
    /// </summary>
    public SafeFileHandle OpenSelf()
    {
        var fd = NativeFiles.OpenAt(_handle, ".", DirectoryFlags | NativeFiles.ODirectory, 0);
        Check(fd, "open", Path);
        return new SafeFileHandle(fd, ownsHandle: true);
    }

    private ConfinedDirectory Reopen() => new(OpenSelf(), Path, _display, _owner, _ownedByOwner);

    private void GiveToOwner(SafeFileHandle handle, string path)
    {
        if (_owner is not null)
        {
            Check(NativeFiles.FChown(handle, _owner.Uid, _owner.Gid), $"chown to {_owner.Name}", path);
        }
    }

    private UnsafePathException Refusal(string name, FileStat? stat)
    {
        var path = Child(name);
        var problem = stat switch
        {
            { IsSymbolicLink: true } => $"it is a symbolic link to {LinkTarget(path)}",
            { } other => $"it is {other.Kind}, not {(other.IsDirectory ? "a regular file" : "a directory")}",
            null => "it changed while podwake looked at it",
        };
        return new UnsafePathException(path, problem, $"remove it (rm {(stat is { IsDirectory: true } ? "-r " : "")}{_display}/{name})");
    }

    private static string LinkTarget(string path)
    {
        try
        {
            return new FileInfo(path).LinkTarget ?? "?";
        }
        catch (IOException)
        {
            return "?";
        }
    }

    private string Child(string name) => System.IO.Path.Join(Path, name);

    private static void Check(int result, string what, string path)
    {
        if (result < 0)
        {
            throw new IOException($"Failed to {what} {path}: {NativeFiles.Describe(NativeFiles.LastError)}");
        }
    }
}
