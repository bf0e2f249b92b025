using System.ComponentModel;
using System.Runtime.InteropServices;

namespace Podwake.Host;

/// <summary>
/// Learns that a process which is not our child exited, without polling: a pidfd (pidfd_open(2), Linux 5.3+) becomes
/// readable when the process ends. One thread per watch blocks in poll(2) on it and on an eventfd that
/// <see cref="Dispose"/> signals. <c>podwake activate</c> watches its container's main process with it.
/// </summary>
internal sealed partial class ProcessExitWatch : IDisposable
{
    private const int SysPidfdOpen = 434; // the same number on x86_64 and arm64
    private const short PollIn = 0x1;
    private const int EfdCloexec = 0x80000;

    private readonly int _pidfd;
    private readonly int _wakeFd;
    private readonly TaskCompletionSource _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Thread _thread;
    private int _disposed;

    private ProcessExitWatch(int pid, int pidfd, int wakeFd)
    {
        Pid = pid;
        _pidfd = pidfd;
        _wakeFd = wakeFd;
        _thread = new Thread(Wait) { IsBackground = true, Name = $"exit watch {pid}" };
        _thread.Start();
    }

    public int Pid { get; }

    /// <summary>Completes when the process has exited (also when it was already gone at <see cref="Open"/>).</summary>
    public Task Exited => _exited.Task;

    /// <exception cref="Win32Exception">The process does not exist (ESRCH) or the kernel lacks pidfd_open.</exception>
    public static ProcessExitWatch Open(int pid)
    {
        var pidfd = (int)Syscall(SysPidfdOpen, pid, 0);
        if (pidfd < 0)
        {
            throw new Win32Exception(Marshal.GetLastPInvokeError(), $"Failed to watch process {pid}");
        }

        var wakeFd = EventFd(0, EfdCloexec);
        if (wakeFd < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            Close(pidfd);
            throw new Win32Exception(error, "Failed to create an eventfd");
        }

        return new ProcessExitWatch(pid, pidfd, wakeFd);
    }

    private unsafe void Wait()
    {
        var fds = stackalloc PollFd[2];
        fds[0] = new PollFd { Fd = _pidfd, Events = PollIn };
        fds[1] = new PollFd { Fd = _wakeFd, Events = PollIn };
        while (true)
        {
            var ready = Poll(fds, 2, -1);
            if (ready < 0 && Marshal.GetLastPInvokeError() == 4)
            {
                continue; // EINTR
            }

            if (ready > 0 && (fds[1].Revents & PollIn) != 0)
            {
                break; // disposed
            }

            if (ready > 0 && fds[0].Revents != 0)
            {
                _exited.TrySetResult();
            }

            break;
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            long one = 1;
            unsafe
            {
                _ = Write(_wakeFd, &one, sizeof(long));
            }

            // The descriptors are closed only after the waiting thread is done with them.
            _thread.Join();
            Close(_pidfd);
            Close(_wakeFd);
        }
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct PollFd
    {
        public int Fd;
        public short Events;
        public short Revents;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true)]
    private static partial long Syscall(long number, int pid, uint flags);

    [LibraryImport("libc", EntryPoint = "eventfd", SetLastError = true)]
    private static partial int EventFd(uint initval, int flags);

    [LibraryImport("libc", EntryPoint = "poll", SetLastError = true)]
    private static unsafe partial int Poll(PollFd* fds, ulong nfds, int timeout);

    [LibraryImport("libc", EntryPoint = "write", SetLastError = true)]
    private static unsafe partial nint Write(int fd, void* buffer, nuint count);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
