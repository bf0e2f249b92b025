using System.Runtime.InteropServices;

namespace Podwake.Proxy;

/// <summary>
/// How many udp flows (one connected backend socket each) the whole process may hold, so that a flood of new client
/// addresses can never take the file descriptors TCP accepts, backend connections, podman's API and the control socket
/// need. Before this bound, 100,000 loopback sources drove serve to its 20,000-fd limit: TCP accepts failed ("Too many
/// open files") and serve died. A quarter of the limit (at least 256) stays in reserve for everything else.
/// </summary>
/// <remarks>
/// One per process (<see cref="Process"/>): the fd table it guards is the process's. It raises the soft RLIMIT_NOFILE
/// to the hard limit first, as CoreCLR does at start but NativeAOT does not (Linux's default soft limit is 1024; here
/// the hard one is 20,000).
/// </remarks>
internal sealed partial class FileDescriptorBudget
{
    private const int RlimitNofile = 7;

    /// <summary>Linux's default fs.nr_open: the soft limit cannot go above it even when the hard one is unlimited.</summary>
    private const ulong NrOpen = 1024 * 1024;

    private int _flows;

    public FileDescriptorBudget(int limit)
    {
        Limit = limit;
        Reserve = Math.Max(256, limit / 4);
        MaxFlows = Math.Max(0, limit - Reserve);
    }

    /// <summary>The process's budget, from its RLIMIT_NOFILE once raised to the hard limit.</summary>
    public static FileDescriptorBudget Process { get; } = new(RaiseOpenFileLimit());

    /// <summary>The soft RLIMIT_NOFILE the budget was made for.</summary>
    public int Limit { get; }

    /// <summary>Descriptors never given to flows: TCP, podman, the control socket, the runtime's own.</summary>
    public int Reserve { get; }

    /// <summary>Most flows at once across every udp listener of the process.</summary>
    public int MaxFlows { get; }

    public int Flows => Volatile.Read(ref _flows);

    /// <summary>Takes room for one flow; false when the process holds <see cref="MaxFlows"/> already.</summary>
    public bool TryTake()
    {
        if (Interlocked.Increment(ref _flows) > MaxFlows)
        {
            Interlocked.Decrement(ref _flows);
            return false;
        }

        return true;
    }

    /// <summary>Gives back what <see cref="TryTake"/> took, when the flow ends.</summary>
    public void Give() => Interlocked.Decrement(ref _flows);

    /// <summary>Raises the soft open-file limit to the hard one (capped at fs.nr_open's default) and returns the soft limit now.</summary>
    private static int RaiseOpenFileLimit()
    {
        var limit = default(Rlimit);
        if (GetRlimit(RlimitNofile, ref limit) != 0)
        {
            return 1024;
        }

        var wanted = Math.Min(limit.Max, NrOpen);
        if (limit.Current < wanted)
        {
            var raised = limit with { Current = wanted };
            if (SetRlimit(RlimitNofile, ref raised) == 0)
            {
                limit = raised;
            }
        }

        return (int)Math.Min(limit.Current, int.MaxValue);
    }

    [LibraryImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static partial int GetRlimit(int resource, ref Rlimit limit);

    [LibraryImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static partial int SetRlimit(int resource, ref Rlimit limit);

    /// <summary>struct rlimit of 64-bit Linux: rlim_cur, rlim_max.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private record struct Rlimit(ulong Current, ulong Max);
}
