using System.Net.Sockets;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Podwake.Proxy;

/// <summary>
/// Creates sockets inside a container's network namespace, so the proxy reaches the container on
/// its own loopback (<c>127.0.0.1:PORT</c> inside) with no bridge, NAT or userspace forwarder in
/// between, and no traffic to a bridge address. A socket belongs to the namespace it was created
/// in for its whole life, so only <c>socket(2)</c> runs in the container's namespace: the calling
/// thread enters it, creates the socket and returns to its own at once, with nothing in between
/// that could run other work on that thread. Needs CAP_SYS_ADMIN (rootful podwake).
/// </summary>
internal sealed partial class NetworkNamespace : IDisposable
{
    private const int CloneNewNet = 0x40000000;

    private readonly SafeFileHandle _target;
    private readonly SafeFileHandle _home;

    private NetworkNamespace(SafeFileHandle target, SafeFileHandle home)
    {
        _target = target;
        _home = home;
    }

    /// <summary>Opens the network namespace of process <paramref name="pid"/> (a container's main process).</summary>
    public static NetworkNamespace OfProcess(int pid)
    {
        var home = File.OpenHandle("/proc/thread-self/ns/net");
        try
        {
            return new NetworkNamespace(File.OpenHandle($"/proc/{pid}/ns/net"), home);
        }
        catch
        {
            home.Dispose();
            throw;
        }
    }

    /// <summary>A TCP (<see cref="SocketType.Stream"/>) or UDP (<see cref="SocketType.Dgram"/>) socket inside the namespace.</summary>
    public Socket CreateSocket(AddressFamily family, SocketType type)
    {
        var targetAdded = false;
        var homeAdded = false;
        try
        {
            _target.DangerousAddRef(ref targetAdded);
            _home.DangerousAddRef(ref homeAdded);
            if (SetNs((int)_target.DangerousGetHandle(), CloneNewNet) != 0)
            {
                throw new SocketException(Marshal.GetLastPInvokeError());
            }

            try
            {
                return new Socket(family, type, Backend.ProtocolFor(type));
            }
            finally
            {
                if (SetNs((int)_home.DangerousGetHandle(), CloneNewNet) != 0)
                {
                    // A pool thread left in a container's namespace would open later sockets there.
                    Environment.FailFast($"Failed to return to podwake's network namespace: errno {Marshal.GetLastPInvokeError()}");
                }
            }
        }
        finally
        {
            if (homeAdded)
            {
                _home.DangerousRelease();
            }

            if (targetAdded)
            {
                _target.DangerousRelease();
            }
        }
    }

    public void Dispose()
    {
        _target.Dispose();
        _home.Dispose();
    }

    [LibraryImport("libc", EntryPoint = "setns", SetLastError = true)]
    private static partial int SetNs(int fd, int nstype);
}
