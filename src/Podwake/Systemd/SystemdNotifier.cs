using System.Net.Sockets;
using System.Text;

namespace Podwake.Systemd;

/// <summary>
/// Sends sd_notify(3) messages to the manager that started this process. The public constructor reads
/// <c>NOTIFY_SOCKET</c>; the one taking a path is the test seam. Without a notify socket, messages go nowhere.
/// </summary>
internal sealed class SystemdNotifier : IDisposable
{
    private readonly Socket? _socket;
    private readonly UnixDomainSocketEndPoint? _endpoint;

    public SystemdNotifier()
        : this(Environment.GetEnvironmentVariable("NOTIFY_SOCKET"))
    {
        // As sd_notify(unset_environment=1) would: children must not talk to our manager in our name.
        Environment.SetEnvironmentVariable("NOTIFY_SOCKET", null);
    }

    internal SystemdNotifier(string? socketPath)
    {
        if (string.IsNullOrEmpty(socketPath))
        {
            return;
        }

        // A leading '@' names a socket in the abstract namespace, written with a leading NUL.
        _endpoint = new UnixDomainSocketEndPoint(socketPath[0] == '@' ? "\0" + socketPath[1..] : socketPath);
        _socket = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
    }

    public bool IsEnabled => _socket is not null;

    /// <summary>Sends the states in one datagram; a manager that went away is not an error worth failing for.</summary>
    public void Notify(params NotifyState[] states)
    {
        if (_socket is null)
        {
            return;
        }

        var message = Encoding.UTF8.GetBytes(string.Join('\n', states.Select(s => s.Assignment)));
        try
        {
            _socket.SendTo(message, _endpoint!);
        }
        catch (SocketException)
        {
            // The manager is gone or restarting: there is nobody to tell.
        }
    }

    public void Dispose() => _socket?.Dispose();
}
