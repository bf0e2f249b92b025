using System.Globalization;

namespace Podwake.Activation;

/// <summary>
/// Reads a process's network namespace socket table (<c>/proc/PID/net/tcp</c> and <c>tcp6</c>) to
/// tell whether something listens on a port inside a container, without connecting to it.
/// </summary>
internal static class ContainerSocketTable
{
    /// <summary>State column value of a listening socket (include/net/tcp_states.h: TCP_LISTEN = 10).</summary>
    private const string ListenState = "0A";

    public static bool IsListening(int pid, int port) =>
        pid > 0 && (IsListeningIn($"/proc/{pid}/net/tcp", port) || IsListeningIn($"/proc/{pid}/net/tcp6", port));

    internal static bool IsListeningIn(string path, int port)
    {
        IEnumerable<string> lines;
        try
        {
            lines = File.ReadLines(path);
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }

        return lines.Skip(1).Any(line => IsListeningLine(line, port));
    }

    /// <summary>A line looks like <c>0: 00000000:1F90 00000000:0000 0A ...</c>: local address:port (hex), remote, state.</summary>
    internal static bool IsListeningLine(string line, int port)
    {
        var fields = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 4 || fields[3] != ListenState)
        {
            return false;
        }

        var colon = fields[1].LastIndexOf(':');
        return colon > 0
            && int.TryParse(fields[1].AsSpan(colon + 1), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var local)
            && local == port;
    }
}
