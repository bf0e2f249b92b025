using Microsoft.Win32.SafeHandles;

namespace Podwake.Host;

/// <content>
/// The files in the directory: read, replaced atomically, opened for a lock, removed; never through a link, and a
/// non-regular file where a file is expected is refused.
/// </content>
internal sealed partial class ConfinedDirectory
{
    /// <summary>The file's text, or null when it does not exist; a link or a non-regular file there is refused.</summary>
    /// <param name="maxBytes">Larger files are refused (<see cref="InvalidDataException"/>): the writer may be anyone who can write here.</param>
    public string? ReadText(string name, long maxBytes = long.MaxValue)
    {
        var fd = NativeFiles.OpenAt(_handle, name, NativeFiles.ORdOnly | NativeFiles.ONoFollow | NativeFiles.OCloexec | NativeFiles.ONoCtty | ONonBlock, 0);
        if (fd < 0)
        {
            var errno = NativeFiles.LastError;
            if (errno == NativeFiles.ENOENT)
            {
                return null;
            }

            throw errno == NativeFiles.ELOOP ? Refusal(name, Stat(name)) : new IOException($"Failed to open {Child(name)}: {NativeFiles.Describe(errno)}");
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var stat = NativeFiles.StatAt(handle, "");
        if (stat is not { IsRegularFile: true })
        {
            throw Refusal(name, stat);
        }

        using var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0);
        if (maxBytes == long.MaxValue)
        {
            using var reader = new StreamReader(stream, Utf8);
            return reader.ReadToEnd();
        }

        // Read one byte past the bound rather than trust the size: the file may grow while it is read.
        var buffer = new MemoryStream();
        var chunk = new byte[64 * 1024];
        int read;
        while ((read = stream.Read(chunk, 0, (int)Math.Min(chunk.Length, maxBytes + 1 - buffer.Length))) > 0)
        {
            buffer.Write(chunk, 0, read);
            if (buffer.Length > maxBytes)
            {
                throw new InvalidDataException($"{Child(name)} is larger than {maxBytes} bytes");
            }
        }

        return Utf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    /// <summary>The names in the directory (not . and ..), read through its descriptor.</summary>
    public IReadOnlyList<string> Names() =>
        [.. System.IO.Directory.EnumerateFileSystemEntries($"/proc/self/fd/{_handle.DangerousGetHandle()}").Select(System.IO.Path.GetFileName).OfType<string>()];

    /// <summary>
    /// Replaces <paramref name="name"/> with <paramref name="text"/> atomically (temporary file + renameat), owned by the
    /// owner; an existing link or non-regular file there is refused when writing for an owner.
    /// </summary>
    public void WriteText(string name, string text, UnixFileMode mode = DefaultFileMode) => WriteBytes(name, Utf8.GetBytes(text), mode);

    /// <summary>As <see cref="WriteText"/>, for bytes.</summary>
    public void WriteBytes(string name, ReadOnlySpan<byte> bytes, UnixFileMode mode = DefaultFileMode)
    {
        if (_owner is not null && Stat(name) is { IsRegularFile: false } existing)
        {
            throw Refusal(name, existing);
        }

        var temporary = $".{name}.podwake-{Guid.NewGuid():N}";
        var fd = NativeFiles.OpenAt(
            _handle, temporary, NativeFiles.OWrOnly | NativeFiles.OCreat | NativeFiles.OExcl | NativeFiles.ONoFollow | NativeFiles.OCloexec, 0b110_000_000);
        Check(fd, "create", Child(temporary));
        var renamed = false;
        try
        {
            using (var handle = new SafeFileHandle(fd, ownsHandle: true))
            {
                RandomAccess.Write(handle, bytes, 0);
                Check(NativeFiles.FChmod(handle, (int)mode), "change the mode of", Child(temporary));
                GiveToOwner(handle, Child(temporary));
            }

            Check(NativeFiles.RenameAt(_handle, temporary, _handle, name), "rename a temporary file to", Child(name));
            renamed = true;
        }
        finally
        {
            if (!renamed)
            {
                _ = NativeFiles.UnlinkAt(_handle, temporary, 0);
            }
        }
    }

    /// <summary>
    /// Points the symbolic link <paramref name="name"/> at <paramref name="target"/>, replacing what is there atomically
    /// (a temporary link + renameat), the link itself owned by the owner (fchownat without following it): systemd follows
    /// a link in a user's directory only when the user owns it.
    /// </summary>
    public void WriteLink(string name, string target)
    {
        if (Stat(name) is { IsDirectory: true } existing)
        {
            throw Refusal(name, existing);
        }

        var temporary = $".{name}.podwake-{Guid.NewGuid():N}";
        Check(NativeFiles.SymlinkAt(target, _handle, temporary), "create the link", Child(temporary));
        var renamed = false;
        try
        {
            if (_owner is not null)
            {
                Check(NativeFiles.FChownAt(_handle, temporary, _owner.Uid, _owner.Gid, NativeFiles.AtSymlinkNoFollow), $"chown to {_owner.Name}", Child(temporary));
            }

            Check(NativeFiles.RenameAt(_handle, temporary, _handle, name), "rename a temporary link to", Child(name));
            renamed = true;
        }
        finally
        {
            if (!renamed)
            {
                _ = NativeFiles.UnlinkAt(_handle, temporary, 0);
            }
        }
    }

    /// <summary>Removes the entry <paramref name="name"/> (a link itself, never its target); false when there was none.</summary>
    public bool Delete(string name)
    {
        if (NativeFiles.UnlinkAt(_handle, name, 0) == 0)
        {
            return true;
        }

        var errno = NativeFiles.LastError;
        return errno == NativeFiles.ENOENT ? false : throw new IOException($"Failed to remove {Child(name)}: {NativeFiles.Describe(errno)}");
    }

    /// <summary>Renames the entry <paramref name="name"/> (whatever it is, a link itself) to <paramref name="newName"/> within this directory.</summary>
    public void Rename(string name, string newName) => Check(NativeFiles.RenameAt(_handle, name, _handle, newName), $"rename {Child(name)} to", Child(newName));

    /// <summary>Removes the directory entry <paramref name="name"/> if it is an empty directory (never a link's target); false otherwise.</summary>
    public bool RemoveEmptyDirectory(string name) => NativeFiles.UnlinkAt(_handle, name, NativeFiles.AtRemoveDir) == 0;

    /// <summary>Opens (creating if missing) the regular file <paramref name="name"/> for reading and writing, owned by the owner.</summary>
    public SafeFileHandle OpenOrCreateFile(string name, UnixFileMode mode = DefaultFileMode)
    {
        var fd = NativeFiles.OpenAt(_handle, name, NativeFiles.ORdWr | NativeFiles.OCreat | NativeFiles.ONoFollow | NativeFiles.OCloexec | NativeFiles.ONoCtty | ONonBlock, (int)mode);
        if (fd < 0)
        {
            var errno = NativeFiles.LastError;
            throw errno == NativeFiles.ELOOP ? Refusal(name, Stat(name)) : new IOException($"Failed to open {Child(name)}: {NativeFiles.Describe(errno)}");
        }

        var handle = new SafeFileHandle(fd, ownsHandle: true);
        try
        {
            var stat = NativeFiles.StatAt(handle, "");
            if (stat is not { IsRegularFile: true })
            {
                throw Refusal(name, stat);
            }

            GiveToOwner(handle, Child(name));
            return handle;
        }
        catch
        {
            handle.Dispose();
            throw;
        }
    }
}
