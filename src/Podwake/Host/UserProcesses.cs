using System.Globalization;
using System.Runtime.InteropServices;

namespace Podwake.Host;

/// <summary>The processes of one user (read from /proc), and ending all of them before the user is removed.</summary>
internal static partial class UserProcesses
{
    private const int SigKill = 9;

    /// <summary>PIDs whose real UID is <paramref name="uid"/>.</summary>
    public static List<int> Of(int uid)
    {
        var pids = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                // "Uid:\treal\teffective\tsaved\tfs"; a zombie is dead already, only its parent can reap it.
                var status = File.ReadAllLines(Path.Combine(directory, "status"));
                if (status.Any(l => l.StartsWith("State:\tZ", StringComparison.Ordinal)))
                {
                    continue;
                }

                var line = status.FirstOrDefault(l => l.StartsWith("Uid:", StringComparison.Ordinal));
                var real = line?.Split('\t', StringSplitOptions.RemoveEmptyEntries).ElementAtOrDefault(1);
                if (real is not null && int.Parse(real, CultureInfo.InvariantCulture) == uid)
                {
                    pids.Add(pid);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // exited meanwhile
            }
        }

        return pids;
    }

    /// <summary>How long a user's (or a user manager's) processes may take to die of SIGKILL before podwake gives up.</summary>
    public static readonly TimeSpan KillLimit = TimeSpan.FromSeconds(10);

    /// <summary>SIGKILLs every process of <paramref name="uid"/> until none is left (a dying process may fork).</summary>
    /// <exception cref="IOException">Some survive for 10 s.</exception>
    public static async Task KillAllAsync(int uid, CancellationToken cancellationToken = default, TimeProvider? time = null)
    {
        if (uid == 0)
        {
            throw new ArgumentOutOfRangeException(nameof(uid), "refusing to kill root's processes");
        }

        time ??= TimeProvider.System;
        var started = time.GetTimestamp();
        while (Of(uid) is { Count: > 0 } pids)
        {
            if (time.GetElapsedTime(started) > KillLimit)
            {
                throw new IOException($"Failed to end the processes of UID {uid}: still running: {string.Join(' ', pids)}");
            }

            foreach (var pid in pids)
            {
                _ = Kill(pid, SigKill);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), time, cancellationToken).ConfigureAwait(false);
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
