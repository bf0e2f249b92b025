using System.Globalization;
using System.Net.Sockets;
using Podwake.Host;
using Podwake.Proxy;
using Podwake.Specs;

namespace Podwake.Serve;

/// <summary>
/// Every listening socket of a serve, bound before anything else is created (a port or path in use is found first),
/// and the unix socket files among them, removed when serve exits.
/// </summary>
internal sealed class ServeListeners
{
    private readonly List<UnixSocketFile> _files = [];

    public List<(ServiceSpec Spec, PortSpec Port, Socket Socket)> Bound { get; } = [];

    /// <summary>Binds every port of every service; on a failure closes what was bound and throws.</summary>
    public static async Task<ServeListeners> BindAsync(IReadOnlyList<ServiceSpec> specs, CancellationToken cancellationToken)
    {
        var listeners = new ServeListeners();
        try
        {
            foreach (var spec in specs)
            {
                foreach (var port in spec.Ports)
                {
                    if (port.Unix is { } unix)
                    {
                        var (uid, gid) = await OwnerIdsAsync(unix, cancellationToken).ConfigureAwait(false);
                        var (socket, file) = UnixListenSocket.Bind(unix, uid, gid);
                        listeners.Bound.Add((spec, port, socket));
                        if (file is not null)
                        {
                            listeners._files.Add(file);
                        }
                    }
                    else
                    {
                        listeners.Bound.Add((spec, port, ListenSocket.Bind(port)));
                    }
                }
            }
        }
        catch
        {
            listeners.Close();
            throw;
        }

        return listeners;
    }

    /// <summary>Closes the sockets (start-up failed before anyone took them) and removes the socket files.</summary>
    public void Close()
    {
        Bound.ForEach(b => b.Socket.Dispose());
        RemoveFiles();
    }

    /// <summary>Removes the socket files still ours, once the listeners are closed.</summary>
    public void RemoveFiles() => _files.ForEach(f => f.Remove());

    /// <summary>
    /// The ids of <c>owner:</c>. A rootless serve may only name itself (and its groups, which chown(2) checks): the
    /// kernel lets no other user give a file away, so the mistake is told before anything is bound.
    /// </summary>
    private static async Task<(int? Uid, int? Gid)> OwnerIdsAsync(UnixListen unix, CancellationToken cancellationToken)
    {
        int? uid = null;
        if (unix.User is { } user)
        {
            uid = int.TryParse(user, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number
                : (await UnixUser.FindAsync(user, cancellationToken).ConfigureAwait(false))?.Uid
                ?? throw new EnvironmentException($"Failed to listen on {unix.Path}: owner: no user \"{user}\" on this host; create it (useradd) or change owner:");
            if (!Environment.IsPrivilegedProcess)
            {
                var self = await UnixUser.CurrentAsync(cancellationToken).ConfigureAwait(false);
                if (self.Uid != uid)
                {
                    throw new EnvironmentException(
                        $"Failed to listen on {unix.Path}: owner: {user} is another user, and a rootless serve (running as {self.Name}) may only own its sockets itself; remove owner: (the socket is then {self.Name}'s), name {self.Name}, or run as root");
                }
            }
        }

        int? gid = null;
        if (unix.Group is { } group)
        {
            gid = int.TryParse(group, NumberStyles.None, CultureInfo.InvariantCulture, out var number) ? number : await GroupIdAsync(group, cancellationToken).ConfigureAwait(false)
                ?? throw new EnvironmentException($"Failed to listen on {unix.Path}: owner: no group \"{group}\" on this host; create it (groupadd) or change owner:");
        }

        return (uid, gid);
    }

    private static async Task<int?> GroupIdAsync(string name, CancellationToken cancellationToken)
    {
        var result = await ExternalCommand.RunAsync("getent", ["group", name], cancellationToken: cancellationToken).ConfigureAwait(false);

        // name:password:gid:members
        var fields = result.Succeeded ? result.Stdout.Split('\n')[0].Split(':') : [];
        return fields.Length >= 3 && int.TryParse(fields[2], NumberStyles.None, CultureInfo.InvariantCulture, out var gid) ? gid : null;
    }
}
