using System.Runtime.InteropServices;
using System.Text;

namespace Podwake.Host;

/// <summary>
/// Files podwake installs for a manager, possibly another user's: written atomically (a temporary file in the same
/// directory, then rename(2)), so a manager reloading at any moment sees the old file or the new one, never half.
/// </summary>
internal static partial class HostFiles
{
    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> atomically, creating missing directories.</summary>
    /// <param name="owner">Owner of the file and of the directories created for it (another user's ~/.config); null = this process.</param>
    public static async Task WriteAtomicallyAsync(string path, string text, UnixUser? owner, CancellationToken cancellationToken = default)
    {
        CreateDirectories(Path.GetDirectoryName(path)!, owner);
        var temporary = Path.Combine(Path.GetDirectoryName(path)!, $".{Path.GetFileName(path)}.podwake-{Guid.NewGuid():N}");
        try
        {
            await File.WriteAllTextAsync(temporary, text, new UTF8Encoding(false), cancellationToken).ConfigureAwait(false);
            File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
            Chown(temporary, owner);
            File.Move(temporary, path, overwrite: true);
        }
        finally
        {
            File.Delete(temporary);
        }
    }

    /// <summary>Creates <paramref name="directory"/> and its missing parents, each owned by <paramref name="owner"/>.</summary>
    public static void CreateDirectories(string directory, UnixUser? owner)
    {
        if (Directory.Exists(directory))
        {
            return;
        }

        CreateDirectories(Path.GetDirectoryName(directory)!, owner);
        Directory.CreateDirectory(directory);
        Chown(directory, owner);
    }

    /// <summary>The file's text, or null when it does not exist.</summary>
    public static string? ReadOrNull(string path)
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

    public static void Chown(string path, UnixUser? owner)
    {
        if (owner is not null && ChownNative(path, owner.Uid, owner.Gid) != 0)
        {
            throw new IOException($"Failed to chown {path} to {owner.Name}: errno {Marshal.GetLastPInvokeError()}");
        }
    }

    [LibraryImport("libc", EntryPoint = "chown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int ChownNative(string path, int uid, int gid);
}
