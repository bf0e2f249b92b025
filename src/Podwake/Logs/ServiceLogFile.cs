using Microsoft.Win32.SafeHandles;
using Podwake.Host;

namespace Podwake.Logs;

/// <summary>
/// Appends a service's own log lines to <c>log/NAME.jsonl</c> under the runtime directory: 0700 directory, 0600 file,
/// reached with O_NOFOLLOW (a link planted there is refused, never followed), rotated to <c>NAME.jsonl.1</c> past
/// <see cref="RotateBytes"/>. A line that cannot be written (disk full, file refused) is dropped with one warning:
/// the proxy calling the logger never waits for or fails on this file.
/// </summary>
internal sealed class ServiceLogFile : IDisposable
{
    /// <summary>About 1 MB: some thousands of wakes of one service, kept twice (the file and its .1).</summary>
    public const long RotateBytes = 1024 * 1024;

    private const UnixFileMode DirectoryMode = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode FileMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    private readonly RuntimePaths _paths;
    private readonly string _name;
    private readonly long _rotateBytes;
    private readonly Action<string> _warn;
    private readonly Action<SafeFileHandle, ReadOnlyMemory<byte>, long> _write;
    private readonly Lock _gate = new();
    private ConfinedDirectory? _directory;
    private SafeFileHandle? _file;
    private long _length;
    private bool _warned;

    /// <param name="warn">Told once when lines start being dropped (stderr in the commands).</param>
    /// <param name="write">Writes bytes at an offset (RandomAccess.Write); a test seam for a full disk.</param>
    public ServiceLogFile(RuntimePaths paths, string service, Action<string> warn, long rotateBytes = RotateBytes,
        Action<SafeFileHandle, ReadOnlyMemory<byte>, long>? write = null)
    {
        _paths = paths;
        Service = service;
        _name = Path.GetFileName(paths.LogFile(service));
        _rotateBytes = rotateBytes;
        _warn = warn;
        _write = write ?? ((file, bytes, offset) => RandomAccess.Write(file, bytes.Span, offset));
    }

    public string Service { get; }

    /// <summary>Appends one line (its bytes end with a newline); dropped, with one warning, when it cannot be written.</summary>
    public void Append(ReadOnlyMemory<byte> line)
    {
        lock (_gate)
        {
            try
            {
                var file = Open();
                if (_length > 0 && _length + line.Length > _rotateBytes)
                {
                    Rotate();
                    file = Open();
                }

                _write(file, line, _length);
                _length += line.Length;
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or UnsafePathException)
            {
                // Opened again for the next line: the disk may have room by then.
                Close();
                if (!_warned)
                {
                    _warned = true;
                    _warn($"Failed to write {_paths.LogFile(Service)}: {ex.Message}; podwake's lines about {Service} are not kept there (podwake logs, podwake events) until it works again");
                }
            }
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            Close();
        }
    }

    private SafeFileHandle Open()
    {
        if (_file is not null)
        {
            return _file;
        }

        _paths.EnsureExists();
        if (_directory is null)
        {
            using var root = ConfinedDirectory.OpenRoot(_paths.Directory, owner: null, ownedByOwner: false);
            _directory = root.Open("log", create: true, DirectoryMode)!;
        }

        _file = _directory.OpenOrCreateFile(_name, FileMode);
        // A file left by an older run keeps no wider mode than this one would create.
        _ = NativeFiles.FChmod(_file, (int)FileMode);
        _length = RandomAccess.GetLength(_file);
        return _file;
    }

    private void Rotate()
    {
        _file?.Dispose();
        _file = null;
        _directory!.Rename(_name, _name + ".1");
    }

    private void Close()
    {
        _file?.Dispose();
        _file = null;
        _directory?.Dispose();
        _directory = null;
    }
}
