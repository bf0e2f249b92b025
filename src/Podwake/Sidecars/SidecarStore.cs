using Microsoft.Win32.SafeHandles;
using Podwake.Host;

namespace Podwake.Sidecars;

/// <summary>
/// The state folder of one side-car service, opened by descriptor (<see cref="ConfinedDirectory"/>): whoever can call the
/// wrapper can write here (a container has the folder bind-mounted), so nothing here is followed through a link, a
/// non-regular file is refused, every file podwake writes is a new file renamed into place, and every name podwake uses
/// is its own (a call's ID, a key's <see cref="SidecarNames.Stem"/>), never the caller's text.
/// </summary>
internal sealed class SidecarStore : IDisposable
{
    private const string CallSuffix = ".call";

    private readonly ConfinedDirectory _root;
    private readonly ConfinedDirectory _calls;
    private readonly ConfinedDirectory _keys;
    private readonly ConfinedDirectory _status;

    private SidecarStore(SidecarPaths paths, ConfinedDirectory root, ConfinedDirectory calls, ConfinedDirectory keys, ConfinedDirectory status)
    {
        Paths = paths;
        _root = root;
        _calls = calls;
        _keys = keys;
        _status = status;
    }

    public SidecarPaths Paths { get; }

    /// <summary>Opens the state folder, creating what is missing when <paramref name="create"/>; null when it does not exist.</summary>
    public static SidecarStore? Open(SidecarPaths paths, bool create)
    {
        var root = HostFiles.OpenDirectory(paths.Directory, owner: null, create);
        if (root is null)
        {
            return null;
        }

        var opened = new List<ConfinedDirectory>();
        try
        {
            foreach (var folder in new[] { SidecarPaths.CallsFolder, SidecarPaths.KeysFolder, SidecarPaths.StatusFolder })
            {
                opened.Add(OpenFolder(root, folder, create) ?? throw new DirectoryNotFoundException($"{Path.Join(paths.Directory, folder)} is missing: run podwake deploy (or serve) again"));
            }

            if (create && root.Stat(SidecarPaths.TimestampFile) is null)
            {
                root.WriteText(SidecarPaths.TimestampFile, "");
            }

            return new SidecarStore(paths, root, opened[0], opened[1], opened[2]);
        }
        catch
        {
            opened.ForEach(d => d.Dispose());
            root.Dispose();
            throw;
        }
    }

    /// <summary>
    /// A folder of the state folder; when <paramref name="create"/>, a link, file or FIFO a caller put in its place goes
    /// (the entry itself, never what a link points at) and the folder is made again: refusing it failed every pass.
    /// </summary>
    private static ConfinedDirectory? OpenFolder(ConfinedDirectory root, string folder, bool create)
    {
        try
        {
            return root.Open(folder, create);
        }
        catch (UnsafePathException) when (create && root.Stat(folder) is { IsDirectory: false })
        {
            root.Delete(folder);
            return root.Open(folder, create);
        }
    }

    /// <summary>Waits for and takes the folder's lock: one sync pass (or list change) at a time.</summary>
    /// <remarks>
    /// The lock is the folder itself (flock on a descriptor of it), not a file in it: a caller can write in the folder,
    /// and a FIFO, a directory or a link it put at a lock file's name made every pass fail, so no call was answered.
    /// </remarks>
    public SafeFileHandle Lock()
    {
        var folder = _root.OpenSelf();
        while (NativeFiles.Flock(folder, NativeFiles.LockEx) != 0)
        {
            if (NativeFiles.LastError != NativeFiles.EINTR)
            {
                var error = NativeFiles.Describe(NativeFiles.LastError);
                folder.Dispose();
                throw new IOException($"Failed to lock {Paths.Directory}: {error}");
            }
        }

        return folder;
    }

    /// <summary>The IDs of the calls waiting in <c>calls/</c> (the wrapper's temporary files, starting with '.', are not).</summary>
    /// <remarks>A directory is no call and is left alone: it cannot be unlinked, and failing on it failed every pass.</remarks>
    public IReadOnlyList<string> PendingCallIds() =>
        [.. _calls.Names()
            .Where(n => n.EndsWith(CallSuffix, StringComparison.Ordinal) && SidecarCallFile.IdPattern().IsMatch(n[..^CallSuffix.Length]) && !IsDirectory(_calls, n))
            .Select(n => n[..^CallSuffix.Length])];

    /// <summary>A waiting call's text; null when it went meanwhile.</summary>
    public string? ReadCall(string id) => _calls.ReadText(id + CallSuffix, SidecarCallFile.MaxBytes);

    public void DeleteCall(string id) => _calls.Delete(id + CallSuffix);

    /// <summary>Every entry of the list: the file's stem and text (a file that cannot be read is left out and reported; a directory is no entry).</summary>
    public IReadOnlyList<(string Stem, string? Text, string? Problem)> Entries()
    {
        var entries = new List<(string, string?, string?)>();
        foreach (var name in _keys.Names().Where(n => n.EndsWith(CallSuffix, StringComparison.Ordinal) && !n.StartsWith('.') && !IsDirectory(_keys, n)))
        {
            try
            {
                entries.Add((name[..^CallSuffix.Length], _keys.ReadText(name, SidecarCallFile.MaxBytes), null));
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException)
            {
                entries.Add((name[..^CallSuffix.Length], null, ex.Message));
            }
        }

        return entries;
    }

    public void WriteEntry(string stem, SidecarCall call) => _keys.WriteText(stem + CallSuffix, SidecarCallFile.Format(call));

    public bool DeleteEntry(string stem) => _keys.Delete(stem + CallSuffix);

    /// <summary>The answer to call <paramref name="id"/>; a foreground call's output first, so the caller finds it once the answer is there.</summary>
    public void WriteStatus(string id, SidecarAnswer answer)
    {
        if (answer.Stdout is { } stdout)
        {
            _status.WriteBytes(id + ".out", stdout);
        }

        if (answer.Stderr is { } stderr)
        {
            _status.WriteBytes(id + ".err", stderr);
        }

        _status.WriteText(id, answer.Format());
    }

    /// <summary>Removes answers nobody collected (a caller that was killed while it waited) after <paramref name="age"/>.</summary>
    public void PruneAnswers(TimeSpan age, DateTimeOffset now)
    {
        foreach (var name in _status.Names())
        {
            var path = Path.Join(Paths.Status, name);
            try
            {
                if (now - File.GetLastWriteTimeUtc(path) > age)
                {
                    _status.Delete(name);
                }
            }
            catch (IOException)
            {
                // Collected by its caller meanwhile.
            }
        }
    }

    /// <summary>Touches the timestamp: what the wrapper does after a call, so the .path unit or serve's watch runs a pass.</summary>
    /// <remarks>
    /// A directory a caller put there cannot be replaced by a file (and made <c>podwake sidecar remove</c> and
    /// <c>sync</c> fail): it is moved aside, as a hidden name, whole and unread.
    /// </remarks>
    public void Touch()
    {
        if (IsDirectory(_root, SidecarPaths.TimestampFile))
        {
            _root.Rename(SidecarPaths.TimestampFile, $".{SidecarPaths.TimestampFile}.planted-{Guid.NewGuid():N}");
        }

        _root.WriteText(SidecarPaths.TimestampFile, DateTimeOffset.UtcNow.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture) + "\n");
    }

    private static bool IsDirectory(ConfinedDirectory directory, string name) => directory.Stat(name) is { IsDirectory: true };

    public void Dispose()
    {
        _calls.Dispose();
        _keys.Dispose();
        _status.Dispose();
        _root.Dispose();
    }
}
