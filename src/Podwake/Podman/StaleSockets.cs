using System.Globalization;
using System.Net.Sockets;

namespace Podwake.Podman;

/// <summary>
/// Removes <c>podman-PID.sock</c> files that a podwake killed with SIGKILL left in its runtime directory: those that no
/// process listens on any more.
/// </summary>
/// <remarks>
/// The test is a connect, not the PID: the directory is shared by every podwake of this user and by programs that use
/// podwake's podman client in-process (the test host starts its own API service there, under its own PID, which is no
/// podwake). Removing a socket someone still listens on cuts them off podman for good; a connect that is refused
/// (ECONNREFUSED: nobody listens) is proof that nobody can use the file any more.
/// </remarks>
internal static class StaleSockets
{
    public static void Remove(string directory, int ownPid, Action<string>? log)
    {
        IEnumerable<string> files;
        try
        {
            files = Directory.EnumerateFiles(directory, "podman-*.sock").ToList();
        }
        catch (DirectoryNotFoundException)
        {
            return;
        }

        foreach (var file in files)
        {
            var name = Path.GetFileNameWithoutExtension(file);
            if (!int.TryParse(name.AsSpan("podman-".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                || pid == ownPid || IsListenedOn(file))
            {
                continue;
            }

            try
            {
                File.Delete(file);
                log?.Invoke($"removed {file}: nobody listens on it (left by podwake {pid.ToString(CultureInfo.InvariantCulture)}, killed)");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                log?.Invoke($"Failed to remove stale {file}: {e.Message}");
            }
        }
    }

    /// <summary>Whether a process accepts connections on the unix socket <paramref name="path"/>; false only when refused.</summary>
    internal static bool IsListenedOn(string path)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Connect(new UnixDomainSocketEndPoint(path));
            return true;
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionRefused)
        {
            return false;
        }
        catch (SocketException)
        {
            // EAGAIN (a full backlog: someone listens but is busy), EACCES, ...: not provably stale, keep it.
            return true;
        }
    }
}
