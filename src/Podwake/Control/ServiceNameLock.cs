using System.Globalization;

namespace Podwake.Control;

/// <summary>
/// Who owns a service name in one podman store: a running <c>podwake serve</c> holds an exclusive flock(2) on
/// <c>names/NAME.lock</c> in its runtime directory (<see cref="RuntimePaths"/>: root's, or a user's, as podman's stores
/// are) for its whole life, and <c>podwake deploy</c> holds it while it applies. The lock dies with the process (kill -9
/// included), so a stale file never blocks anyone. Without it a second serve of the same name, on other ports, or a
/// serve of a deployed name force-removed the other's running container (<c>podwake-NAME</c>) while creating its own.
/// </summary>
/// <remarks>
/// .NET takes the flock itself: FileShare.None is LOCK_EX|LOCK_NB on Unix (see <c>Host.ContainerSwapLock</c>). A locked
/// file cannot then be read by another process through .NET (its open takes LOCK_SH), so the holder writes who it is
/// into <c>NAME.owner</c> beside it, for the refusal message.
/// </remarks>
internal sealed class ServiceNameLock : IDisposable
{
    /// <summary>How long a refused process waits for the holder to write its owner file (it does so right after locking).</summary>
    private static readonly TimeSpan OwnerWait = TimeSpan.FromMilliseconds(500);

    private readonly List<FileStream> _files;

    private ServiceNameLock(List<FileStream> files) => _files = files;

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
        var files = new List<FileStream>();
        try
        {
            foreach (var name in names.Distinct(StringComparer.Ordinal))
            {
                var path = LockFile(paths, name);
                try
                {
                    files.Add(new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None));
                }
                catch (IOException ex) when (ex is not FileNotFoundException and not DirectoryNotFoundException)
                {
                    throw new EnvironmentException(Refusal(name, ReadOwner(paths, name)), ex);
                }

                File.WriteAllText(OwnerFile(paths, name), owner + "\n");
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
    /// <c>user:</c> service, whose runtime directory belongs to that user (root must not create files in it). Null when free.
    /// </summary>
    public static string? Holder(RuntimePaths paths, string name)
    {
        try
        {
            using var file = new FileStream(LockFile(paths, name), FileMode.Open, FileAccess.Read, FileShare.None);
            return null;
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return null;
        }
        catch (IOException)
        {
            return ReadOwner(paths, name);
        }
    }

    /// <summary>The message for a name another process holds.</summary>
    public static string Refusal(string name, string owner) =>
        $"service {name} is {owner}: stop it first, or rename the service (name:) to run both";

    public static string LockFile(RuntimePaths paths, string name) => Path.Combine(paths.Directory, "names", $"{name}.lock");

    private static string OwnerFile(RuntimePaths paths, string name) => Path.Combine(paths.Directory, "names", $"{name}.owner");

    /// <summary>The holder's owner text; it is written just after the lock is taken, so wait for it briefly.</summary>
    private static string ReadOwner(RuntimePaths paths, string name)
    {
        var deadline = DateTime.UtcNow + OwnerWait;
        while (true)
        {
            try
            {
                var text = File.ReadAllText(OwnerFile(paths, name)).Trim();
                if (Pid(text) is { } pid && System.IO.Directory.Exists($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}"))
                {
                    return text;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
            }

            if (DateTime.UtcNow >= deadline)
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
