using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Podwake.Host;

/// <summary>
/// Who owns a service name in one podman store: a running <c>podwake serve</c> holds an exclusive flock(2) on
/// <c>names/NAME.lock</c> in its runtime directory (<see cref="RuntimePaths"/>: root's, or a user's, as podman's stores
/// are) for its whole life, and <c>podwake deploy</c> holds it while it applies. The lock dies with the process (kill -9
/// included), so a stale file never blocks anyone. Without it a second serve of the same name, on other ports, or a
/// serve of a deployed name force-removed the other's running container (<c>podwake-NAME</c>) while creating its own.
/// </summary>
/// <remarks>
/// The holder writes who it is into <c>NAME.owner</c> beside the lock, for the refusal message. Every file here is
/// opened by hand (open(2) with O_NOFOLLOW|O_NONBLOCK, then fstat, then flock LOCK_EX|LOCK_NB on that descriptor): root
/// reads a user's directory on deploy, and a FIFO planted as <c>NAME.lock</c> made its blocking open hang deploy
/// forever, a link there made root open the link's target (a device such as /dev/watchdog), and a link as
/// <c>NAME.owner</c> made serve truncate its target. Anything but a regular file is refused (exit 2) naming the path.
/// </remarks>
internal sealed class ServiceNameLock : IDisposable
{
    /// <summary>How long a refused process waits for the holder to write its owner file (it does so right after locking).</summary>
    private static readonly TimeSpan OwnerWait = TimeSpan.FromMilliseconds(500);

    /// <summary>More than any owner text; a larger owner file is not podwake's.</summary>
    private const int OwnerMaxBytes = 4096;

    private readonly List<SafeFileHandle> _files;

    private ServiceNameLock(List<SafeFileHandle> files) => _files = files;

    /// <summary>What a serve writes as its owner text.</summary>
    public static string ServeOwner => $"already served by podwake serve (pid {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)})";

    /// <summary>What a deploy writes as its owner text.</summary>
    public static string DeployOwner => $"being deployed by podwake deploy (pid {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)})";

    /// <summary>What an undeploy writes as its owner text.</summary>
    public static string UndeployOwner => $"being undeployed by podwake undeploy (pid {Environment.ProcessId.ToString(CultureInfo.InvariantCulture)})";

    /// <summary>
    /// Takes every name or none: throws <see cref="EnvironmentException"/> naming the owner of the first name another
    /// process holds (and releases what it took).
    /// </summary>
    /// <param name="owner">This process as the refusal of another one will name it: <see cref="ServeOwner"/> or <see cref="DeployOwner"/>.</param>
    public static ServiceNameLock Acquire(RuntimePaths paths, IEnumerable<string> names, string owner)
    {
        var directory = Path.Combine(paths.Directory, "names");
        System.IO.Directory.CreateDirectory(directory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var files = new List<SafeFileHandle>();
        try
        {
            foreach (var name in names.Distinct(StringComparer.Ordinal))
            {
                var path = LockFile(paths, name);
                var file = OpenRegular(path, NativeFiles.ORdWr | NativeFiles.OCreat)
                    ?? throw new EnvironmentException($"cannot create the name lock {path}: its directory is missing");
                files.Add(file);
                if (!TryLock(file, path))
                {
                    throw new EnvironmentException(Refusal(name, ReadOwner(paths, name)));
                }

                WriteOwner(OwnerFile(paths, name), owner + "\n");
            }

            return new ServiceNameLock(files);
        }
        catch
        {
            files.ForEach(f => f.Dispose());
            throw;
        }
    }

    /// <summary>
    /// Who holds <paramref name="name"/> in <paramref name="paths"/>, without taking it for long: for root deploying a
    /// <c>run_as:</c> service, whose runtime directory belongs to that user (root must not create files in it). Null when free
    /// (or when the file cannot be read at all). Throws <see cref="EnvironmentException"/> naming the path when the lock
    /// is not a regular file (a FIFO, a link, a directory: the user planted it; podwake never makes one).
    /// </summary>
    public static string? Holder(RuntimePaths paths, string name)
    {
        var path = LockFile(paths, name);
        SafeFileHandle? file;
        try
        {
            file = OpenRegular(path, NativeFiles.ORdOnly);
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }

        if (file is null)
        {
            return null;
        }

        using (file)
        {
            return TryLock(file, path) ? null : ReadOwner(paths, name);
        }
    }

    /// <summary>The message for a name another process holds.</summary>
    public static string Refusal(string name, string owner) =>
        $"service {name} is {owner}: stop it first, or rename the service (name:) to run both";

    public static string LockFile(RuntimePaths paths, string name) => Path.Combine(paths.Directory, "names", $"{name}.lock");

    private static string OwnerFile(RuntimePaths paths, string name) => Path.Combine(paths.Directory, "names", $"{name}.owner");

    /// <summary>
    /// Opens <paramref name="path"/> without following a link or blocking on a FIFO (nor creating anything unless
    /// <paramref name="flags"/> say so); null when it (or its directory) does not exist. Throws
    /// <see cref="EnvironmentException"/> when it is not a regular file, <see cref="UnauthorizedAccessException"/> on EACCES.
    /// </summary>
    private static SafeFileHandle? OpenRegular(string path, int flags)
    {
        var fd = NativeFiles.Open(path, flags | NativeFiles.ONoFollow | NativeFiles.ONonBlock | NativeFiles.OCloexec | NativeFiles.ONoCtty, 0b110_000_000);
        if (fd < 0)
        {
            var errno = NativeFiles.LastError;
            return errno switch
            {
                NativeFiles.ENOENT or NativeFiles.ENOTDIR => null,
                NativeFiles.ELOOP => throw NotALockFile(path, "a symbolic link"),
                NativeFiles.EISDIR => throw NotALockFile(path, "a directory"),
                NativeFiles.EACCES => throw new UnauthorizedAccessException($"cannot open {path}: {NativeFiles.Describe(errno)}"),
                _ => throw new EnvironmentException($"cannot open {path}: {NativeFiles.Describe(errno)}"),
            };
        }

        var file = new SafeFileHandle(fd, ownsHandle: true);
        var stat = NativeFiles.StatAt(file, "");
        if (stat is not { IsRegularFile: true })
        {
            file.Dispose();
            throw NotALockFile(path, stat?.Kind ?? "gone");
        }

        return file;
    }

    private static EnvironmentException NotALockFile(string path, string kind) =>
        new($"{path} is {kind}, not a podwake name lock (podwake only makes regular files there): remove it and run again");

    /// <summary>flock(LOCK_EX|LOCK_NB) on <paramref name="file"/>: false when another open file holds it.</summary>
    private static bool TryLock(SafeFileHandle file, string path)
    {
        while (NativeFiles.Flock(file, NativeFiles.LockEx | NativeFiles.LockNb) != 0)
        {
            var errno = NativeFiles.LastError;
            if (errno == NativeFiles.EAGAIN)
            {
                return false;
            }

            if (errno != NativeFiles.EINTR)
            {
                throw new EnvironmentException($"cannot lock {path}: {NativeFiles.Describe(errno)}");
            }
        }

        return true;
    }

    /// <summary>
    /// Writes the owner text into a new file and renames it over <paramref name="path"/>: whatever was there (a link
    /// whose target serve once truncated, a FIFO) is replaced, never opened. The caller holds the name's lock.
    /// </summary>
    private static void WriteOwner(string path, string text)
    {
        var temporary = $"{path}.{Environment.ProcessId.ToString(CultureInfo.InvariantCulture)}.tmp";
        File.Delete(temporary);
        using (var file = OpenRegular(temporary, NativeFiles.OWrOnly | NativeFiles.OCreat | NativeFiles.OExcl)
            ?? throw new EnvironmentException($"cannot create {temporary}: its directory is missing"))
        {
            RandomAccess.Write(file, Encoding.UTF8.GetBytes(text), 0);
        }

        try
        {
            File.Move(temporary, path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            File.Delete(temporary);
            throw new EnvironmentException($"cannot replace {path} ({ex.Message}): remove it and run again", ex);
        }
    }

    /// <summary>The owner text in <paramref name="path"/>, or null when it is missing, unreadable or not a regular file.</summary>
    private static string? TryReadOwner(string path)
    {
        try
        {
            using var file = OpenRegular(path, NativeFiles.ORdOnly);
            if (file is null)
            {
                return null;
            }

            var buffer = new byte[OwnerMaxBytes];
            var length = RandomAccess.Read(file, buffer, 0);
            return Encoding.UTF8.GetString(buffer, 0, length).Trim();
        }
        catch (Exception ex) when (ex is EnvironmentException or UnauthorizedAccessException or IOException)
        {
            return null;
        }
    }

    /// <summary>The holder's owner text; it is written just after the lock is taken, so wait for it briefly.</summary>
    /// <remarks>
    /// Synchronous, on the system's monotonic clock: taking the lock is the first step of serve, deploy and undeploy,
    /// before any runtime or clock exists, and this wait only words the refusal (at most 500 ms).
    /// </remarks>
    private static string ReadOwner(RuntimePaths paths, string name)
    {
        var started = TimeProvider.System.GetTimestamp();
        while (true)
        {
            if (TryReadOwner(OwnerFile(paths, name)) is { } text
                && Pid(text) is { } pid && System.IO.Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}"))
            {
                return text;
            }

            if (TimeProvider.System.GetElapsedTime(started) >= OwnerWait)
            {
                return "held by another podwake process (its pid is unknown)";
            }

            Thread.Sleep(20);
        }
    }

    private static int? Pid(string owner)
    {
        var start = owner.LastIndexOf("(pid ", StringComparison.Ordinal);
        var end = owner.LastIndexOf(')');
        return start >= 0 && end > start + 5 && int.TryParse(owner.AsSpan(start + 5, end - start - 5), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : null;
    }

    public void Dispose() => _files.ForEach(f => f.Dispose());
}
