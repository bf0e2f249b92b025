using System.Globalization;
using System.Text;
using Microsoft.Win32.SafeHandles;
using Podwake.Host;
using Podwake.Units;

namespace Podwake.Deploy;

/// <summary>
/// Keeps two updates of one deployed service from running at once (two <c>podwake update</c>, or one and the timer's):
/// an exclusive flock(2) on <c>podwake-NAME.update.lock</c> beside the swap lock, with the holder's PID in it. A second
/// update is refused at once, naming that PID, never left waiting. The lock dies with its process, kill -9 included.
/// </summary>
/// <remarks>The file is in the service user's runtime directory: opened without following a link (<see cref="HostFiles.OpenLockFile"/>).</remarks>
internal sealed class ServiceUpdateLock : IDisposable
{
    private readonly SafeFileHandle _file;

    private ServiceUpdateLock(SafeFileHandle file) => _file = file;

    public static string PathOf(string service, string runtimeRoot) => $"{runtimeRoot}/{ContainerRunFiles.DirectoryName(service)}.update.lock";

    /// <summary>Takes the lock, or throws <see cref="EnvironmentException"/>: "an update of NAME is running (pid N)".</summary>
    public static ServiceUpdateLock Acquire(string service, string runtimeRoot, UnixUser? owner)
    {
        var path = PathOf(service, runtimeRoot);
        var file = HostFiles.OpenLockFile(path, owner);
        try
        {
            while (NativeFiles.Flock(file, NativeFiles.LockEx | NativeFiles.LockNb) != 0)
            {
                var errno = NativeFiles.LastError;
                if (errno == NativeFiles.EAGAIN)
                {
                    var buffer = new byte[32];
                    var holder = Encoding.ASCII.GetString(buffer, 0, RandomAccess.Read(file, buffer, 0)).Trim();
                    throw new EnvironmentException($"an update of {service} is running (pid {(holder.Length > 0 ? holder : "unknown")}); wait for it to end");
                }

                if (errno != NativeFiles.EINTR)
                {
                    throw new EnvironmentException($"Failed to lock {path}: {NativeFiles.Describe(errno)}");
                }
            }

            RandomAccess.SetLength(file, 0);
            RandomAccess.Write(file, Encoding.ASCII.GetBytes(Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + "\n"), 0);
            return new ServiceUpdateLock(file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    public void Dispose() => _file.Dispose();
}
