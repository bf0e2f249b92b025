using System.Globalization;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Podwake.Host;

/// <summary>
/// Files podwake installs for a manager, possibly another user's: written atomically (a temporary file in the same
/// directory, then rename(2)), so a manager reloading at any moment sees the old file or the new one, never half.
/// </summary>
/// <remarks>
/// With an <c>owner</c> (root working for a <c>run_as:</c> service), a path below that user's home or runtime directory is
/// reached through <see cref="ConfinedDirectory"/>: from the home the passwd database names (followed as the
/// administrator set it, once), nothing below is followed, every directory must be the user's, and ownership is
/// given by descriptor. A user who links <c>~/.config/systemd/user</c> to <c>/etc/systemd/system</c> gets a refusal
/// (<see cref="UnsafePathException"/>), not a root-loaded unit. Without an owner (root's own places) links are followed
/// as the administrator set them.
/// </remarks>
internal static partial class HostFiles
{
    /// <summary>Where root makes the users' runtime directories (logind's place).</summary>
    public const string RuntimeRoot = "/run/user";

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically, creating missing directories.</summary>
    /// <param name="owner">Owner of the file and of the directories created for it (another user's ~/.config); null = this process.</param>
    public static Task WriteAtomicallyAsync(string path, string text, UnixUser? owner, CancellationToken cancellationToken = default)
    {
        cancellationToken.ThrowIfCancellationRequested();
        using var directory = OpenDirectory(Path.GetDirectoryName(path)!, owner, create: true)!;
        directory.WriteText(Path.GetFileName(path), text);
        return Task.CompletedTask;
    }

    /// <summary>Points the link <paramref name="path"/> at <paramref name="target"/> atomically, creating missing directories.</summary>
    /// <param name="owner">Owner of the link and of the directories created for it; null = this process.</param>
    public static void LinkAtomically(string path, string target, UnixUser? owner)
    {
        using var directory = OpenDirectory(Path.GetDirectoryName(path)!, owner, create: true)!;
        directory.WriteLink(Path.GetFileName(path), target);
    }

    /// <summary>Where the link <paramref name="path"/> points; null when there is no link there.</summary>
    public static string? LinkTarget(string path) => new FileInfo(path).LinkTarget;

    /// <summary>Creates <paramref name="directory"/> and its missing parents, each owned by <paramref name="owner"/>.</summary>
    public static void CreateDirectories(string directory, UnixUser? owner)
    {
        using var opened = OpenDirectory(directory, owner, create: true);
    }

    /// <summary>The file's text, or null when it (or its directory) does not exist.</summary>
    /// <param name="owner">Read below that user's home without following links (see the remarks); null = as the path says.</param>
    public static string? ReadOrNull(string path, UnixUser? owner = null)
    {
        if (owner is null || ConfinedRoot(path, owner) is null)
        {
            try
            {
                return File.ReadAllText(path);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                return null;
            }
        }

        using var directory = OpenDirectory(Path.GetDirectoryName(path)!, owner, create: false);
        return directory?.ReadText(Path.GetFileName(path));
    }

    /// <summary>Something (a link included) is at <paramref name="path"/>; below an owner's home, reached without following links.</summary>
    public static bool Exists(string path, UnixUser? owner = null)
    {
        if (owner is null || ConfinedRoot(path, owner) is null)
        {
            return File.Exists(path) || Directory.Exists(path) || new FileInfo(path).LinkTarget is not null;
        }

        using var directory = OpenDirectory(Path.GetDirectoryName(path)!, owner, create: false);
        return directory?.Stat(Path.GetFileName(path)) is not null;
    }

    /// <summary>Removes the file (a link itself, never what it points at); false when there was none.</summary>
    public static bool Delete(string path, UnixUser? owner = null)
    {
        using var directory = OpenDirectory(Path.GetDirectoryName(path)!, owner, create: false);
        return directory?.Delete(Path.GetFileName(path)) ?? false;
    }

    /// <summary>The directories of <paramref name="directory"/> that do not exist yet, outermost first (what creating it adds).</summary>
    public static List<string> MissingDirectories(string directory)
    {
        var missing = new List<string>();
        for (var path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory)); !Directory.Exists(path); path = Path.GetDirectoryName(path) ?? "/")
        {
            missing.Insert(0, path);
        }

        return missing;
    }

    /// <summary>Removes <paramref name="directory"/> if it is empty (reached as <see cref="OpenDirectory"/> does); false when it is not.</summary>
    public static bool RemoveEmptyDirectory(string directory, UnixUser? owner)
    {
        directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        using var parent = OpenDirectory(Path.GetDirectoryName(directory) ?? "/", owner, create: false);
        return parent?.RemoveEmptyDirectory(Path.GetFileName(directory)) ?? false;
    }

    /// <summary>
    /// <c>/run/user/UID</c> for <paramref name="user"/> (0700, theirs), made without following links and chowned by descriptor;
    /// an existing one must be theirs.
    /// </summary>
    public static void CreateRuntimeDirectory(UnixUser user)
    {
        Directory.CreateDirectory(RuntimeRoot);
        using var root = ConfinedDirectory.OpenRoot(RuntimeRoot, user, ownedByOwner: true);
        using var runtime = root.Open(user.Uid.ToString(CultureInfo.InvariantCulture), create: true, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute)!;
        runtime.SetMode(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Opens (creating) a lock file, owned by <paramref name="owner"/>, never through a link.</summary>
    public static SafeFileHandle OpenLockFile(string path, UnixUser? owner)
    {
        using var directory = OpenDirectory(Path.GetDirectoryName(path)!, owner, create: true)!;
        return directory.OpenOrCreateFile(Path.GetFileName(path));
    }

    /// <summary>
    /// The directory <paramref name="directory"/>, null when missing and not <paramref name="create"/>. Below an owner's
    /// home or runtime directory: confined to it and every component the owner's. Elsewhere: from the deepest existing
    /// ancestor (as its path says), the missing rest created without following links and given to the owner.
    /// </summary>
    public static ConfinedDirectory? OpenDirectory(string directory, UnixUser? owner, bool create)
    {
        directory = Path.TrimEndingDirectorySeparator(Path.GetFullPath(directory));
        if (owner is not null && ConfinedRoot(directory, owner) is { } root)
        {
            if (!create && !Directory.Exists(root))
            {
                return null;
            }

            using var trusted = ConfinedDirectory.OpenRoot(root, owner, ownedByOwner: true, Display(root, owner));
            return trusted.Open(Path.GetRelativePath(root, directory), create);
        }

        var existing = directory;
        while (!Directory.Exists(existing))
        {
            if (!create)
            {
                return null;
            }

            existing = Path.GetDirectoryName(existing) ?? "/";
        }

        using var start = ConfinedDirectory.OpenRoot(existing, owner, ownedByOwner: false);
        return start.Open(Path.GetRelativePath(existing, directory), create);
    }

    /// <summary>The owner's home or runtime directory that <paramref name="path"/> is in (or is), else null.</summary>
    private static string? ConfinedRoot(string path, UnixUser owner)
    {
        path = Path.TrimEndingDirectorySeparator(Path.GetFullPath(path));
        foreach (var root in new[] { owner.Home, owner.RuntimeDirectory }.Select(r => Path.TrimEndingDirectorySeparator(Path.GetFullPath(r))))
        {
            if (root != "/" && (path == root || path.StartsWith(root + "/", StringComparison.Ordinal)))
            {
                return root;
            }
        }

        return null;
    }

    private static string Display(string root, UnixUser owner) => root == Path.TrimEndingDirectorySeparator(owner.Home) ? $"~{owner.Name}" : root;

    /// <summary>
    /// Changes the owner of <paramref name="path"/> itself, never of what it links to (lchown). Only for trees the owner
    /// cannot put links into (cgroupfs); files in a user's own directories go through <see cref="ConfinedDirectory"/>.
    /// </summary>
    public static void Chown(string path, UnixUser? owner)
    {
        if (owner is not null && NativeFiles.LChown(path, owner.Uid, owner.Gid) != 0)
        {
            throw new IOException($"Failed to chown {path} to {owner.Name}: errno {Marshal.GetLastPInvokeError()}");
        }
    }
}
