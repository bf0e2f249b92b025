namespace Podwake.Host;

/// <summary>
/// Keeps a deployed service's activator from starting its container while <c>podwake deploy</c> swaps that container
/// for a new one (stop, remove, rename). The swap holds an exclusive flock(2) on the service's lock file; a wake takes
/// and drops a shared lock on it first, so a connection that arrives during the swap waits (held, never refused) and
/// then wakes the new container, never the old one or none.
/// </summary>
/// <remarks>.NET maps FileShare.None to LOCK_EX and any other share mode to LOCK_SH, both non-blocking, on Unix.</remarks>
internal sealed class ContainerSwapLock : IDisposable
{
    private static readonly TimeSpan Retry = TimeSpan.FromMilliseconds(10);

    private readonly IDisposable _file;

    private ContainerSwapLock(IDisposable file) => _file = file;

    /// <summary>
    /// Takes the exclusive lock for a swap, creating the file (owned by <paramref name="owner"/>) if needed. The file is
    /// in the owner's runtime directory, which the owner may fill with links: it is opened without following one and
    /// chowned through its descriptor (a link there to /etc/shadow once made root give that file to the user).
    /// </summary>
    public static async Task<ContainerSwapLock> AcquireForSwapAsync(string path, UnixUser? owner, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        var file = HostFiles.OpenLockFile(path, owner);
        try
        {
            while (NativeFiles.Flock(file, NativeFiles.LockEx | NativeFiles.LockNb) != 0)
            {
                if (NativeFiles.LastError is not (NativeFiles.EAGAIN or NativeFiles.EINTR))
                {
                    throw new IOException($"Failed to lock {path}: {NativeFiles.Describe(NativeFiles.LastError)}");
                }

                // An activator is looking right now: it lets go at once.
                await Task.Delay(Retry, time ?? TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }

            return new ContainerSwapLock(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>Returns once no swap holds the lock (at once when there is no lock file: nothing was ever swapped).</summary>
    public static async Task WaitUntilNoSwapAsync(string path, CancellationToken cancellationToken, TimeProvider? time = null)
    {
        while (true)
        {
            try
            {
                using var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
                return;
            }
            catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
            {
                return;
            }
            catch (IOException)
            {
                await Task.Delay(Retry, time ?? TimeProvider.System, cancellationToken).ConfigureAwait(false);
            }
        }
    }

    public void Dispose() => _file.Dispose();
}
