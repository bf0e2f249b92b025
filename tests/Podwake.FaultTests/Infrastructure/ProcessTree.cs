using System.Globalization;

namespace Podwake.FaultTests.Infrastructure;

/// <summary>What /proc says about processes: a serve's children, a process's name, whether it still runs.</summary>
internal static class ProcessTree
{
    /// <summary>PIDs whose parent is <paramref name="pid"/>.</summary>
    public static IReadOnlyList<int> Children(int pid) =>
        [.. AllPids().Where(p => Stat(p) is { } stat && stat.ParentPid == pid)];

    /// <summary>The <c>podman system service</c> that serve <paramref name="servePid"/> runs as its child, or null.</summary>
    public static int? PodmanServiceOf(int servePid) =>
        Children(servePid).Where(c => Comm(c) == "podman" && CommandLine(c).Contains("system service", StringComparison.Ordinal))
            .Select(c => (int?)c).FirstOrDefault();

    /// <summary>Every live process whose command line mentions <paramref name="text"/> (e.g. a serve's socket path).</summary>
    public static IReadOnlyList<int> Mentioning(string text) =>
        [.. AllPids().Where(p => p != Environment.ProcessId && IsAlive(p) && CommandLine(p).Contains(text, StringComparison.Ordinal))];

    public static bool IsAlive(int pid) => Stat(pid) is { } stat && stat.State != 'Z' && stat.State != 'X';

    public static string? Comm(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/comm").Trim();
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static string CommandLine(int pid)
    {
        try
        {
            return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "";
        }
    }

    /// <summary>
    /// Open file descriptors of <paramref name="pid"/>, less the runtime's assemblies: the JIT maps one (2 fds) the first
    /// time a code path needs it, which looks like growth for the first ~100 wakes (131 to 146 here) and then stops;
    /// a NativeAOT podwake has none.
    /// </summary>
    public static int FdCount(int pid) =>
        new DirectoryInfo($"/proc/{pid}/fd").EnumerateFileSystemInfos()
            .Count(fd => fd.LinkTarget is not { } target || !target.EndsWith(".dll", StringComparison.Ordinal));

    /// <summary>Resident set size of <paramref name="pid"/> in KiB (VmRSS).</summary>
    public static long RssKib(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line["VmRSS:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }

    /// <summary>Where serve <paramref name="servePid"/> puts its own podman API socket.</summary>
    public static string PodmanSocketOf(int servePid) =>
        Path.Combine(
            Environment.IsPrivilegedProcess ? "/run/podwake" : Path.Combine(Environment.GetEnvironmentVariable("XDG_RUNTIME_DIR") ?? "", "podwake"),
            $"podman-{servePid}.sock");

    /// <summary>Established connections to the unix socket <paramref name="path"/> (the accepted ends, from <c>ss -x</c>).</summary>
    public static int UnixConnectionsTo(string path)
    {
        var start = new System.Diagnostics.ProcessStartInfo("ss", ["-xH", "state", "established"]) { RedirectStandardOutput = true };
        using var ss = System.Diagnostics.Process.Start(start)!;
        var lines = ss.StandardOutput.ReadToEnd().Split('\n');
        ss.WaitForExit();
        // "u_str RECV-Q SEND-Q LOCAL INODE PEER PEER-INODE": an accepted connection's local address is the socket's path.
        return lines.Count(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries) is { Length: > 3 } f && f[3] == path);
    }

    private static IEnumerable<int> AllPids() =>
        Directory.EnumerateDirectories("/proc")
            .Select(Path.GetFileName)
            .Where(n => n is { Length: > 0 } && n.All(char.IsAsciiDigit))
            .Select(n => int.Parse(n!, CultureInfo.InvariantCulture));

    private static (char State, int ParentPid)? Stat(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // "PID (comm) S PPID ...": comm may contain spaces and parentheses; the last ')' ends it.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            return (fields[0][0], int.Parse(fields[1], CultureInfo.InvariantCulture));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
