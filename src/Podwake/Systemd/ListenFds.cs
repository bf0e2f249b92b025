using System.Globalization;
using System.Net.Sockets;

namespace Podwake.Systemd;

/// <summary>
/// The sockets systemd passed to this process (sd_listen_fds(3)): <c>LISTEN_FDS</c> file descriptors from fd 3 on,
/// for this PID only (<c>LISTEN_PID</c>), named by <c>LISTEN_FDNAMES</c>. The variables are removed once read, so
/// no child process takes the sockets for its own.
/// </summary>
internal static class ListenFds
{
    /// <summary>SD_LISTEN_FDS_START: the first passed descriptor.</summary>
    public const int FirstDescriptor = 3;

    /// <summary>Adopts every passed socket; throws <see cref="EnvironmentException"/> when none were passed to this process.</summary>
    public static IReadOnlyList<ListenFd> Adopt()
    {
        var pid = Environment.GetEnvironmentVariable("LISTEN_PID");
        var count = Environment.GetEnvironmentVariable("LISTEN_FDS");
        var names = Environment.GetEnvironmentVariable("LISTEN_FDNAMES")?.Split(':') ?? [];
        Environment.SetEnvironmentVariable("LISTEN_PID", null);
        Environment.SetEnvironmentVariable("LISTEN_FDS", null);
        Environment.SetEnvironmentVariable("LISTEN_FDNAMES", null);

        if (pid is null || count is null)
        {
            throw new EnvironmentException(
                "no listening sockets were passed (LISTEN_FDS is not set): podwake activate is started by its socket unit; "
                + "deploy the service with podwake deploy, or run it by hand under systemd-socket-activate");
        }

        if (!int.TryParse(pid, NumberStyles.None, CultureInfo.InvariantCulture, out var listenPid) || listenPid != Environment.ProcessId)
        {
            throw new EnvironmentException($"the listening sockets were passed to process {pid}, not to this one ({Environment.ProcessId})");
        }

        if (!int.TryParse(count, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n < 1)
        {
            throw new EnvironmentException($"LISTEN_FDS={count} passes no socket: check the socket unit's ListenStream=/ListenDatagram= lines");
        }

        var sockets = new List<ListenFd>(n);
        for (var i = 0; i < n; i++)
        {
            var fd = FirstDescriptor + i;
            try
            {
                sockets.Add(new ListenFd(new Socket(new SafeSocketHandle(fd, ownsHandle: true)), i < names.Length ? names[i] : "unknown"));
            }
            catch (SocketException ex)
            {
                sockets.ForEach(s => s.Socket.Dispose());
                throw new EnvironmentException($"Failed to adopt passed descriptor {fd}: {ex.Message}; it is not a socket", ex);
            }
        }

        return sockets;
    }
}
