using System.Net.Sockets;
using System.Text.Json;
using Podwake.Host;

namespace Podwake.Control;

/// <summary>
/// A unix socket beside podman's (<see cref="RuntimePaths"/>) where <c>podwake status</c> reads a
/// running serve's state: connect, read one JSON <see cref="StatusDocument"/>, done. One socket per
/// serve process (named by PID) so several serves on one host are all found.
/// </summary>
internal sealed class ControlServer : IAsyncDisposable
{
    private readonly Socket _socket;
    private readonly string _path;
    private readonly Func<StatusDocument> _snapshot;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    private ControlServer(Socket socket, string path, Func<StatusDocument> snapshot)
    {
        _socket = socket;
        _path = path;
        _snapshot = snapshot;
        _loop = Task.Run(AcceptLoopAsync);
    }

    public string Path => _path;

    public static ControlServer Start(RuntimePaths paths, Func<StatusDocument> snapshot)
    {
        paths.EnsureExists();
        var path = paths.ControlSocket(Environment.ProcessId);
        File.Delete(path);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            socket.Listen(16);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new EnvironmentException($"Failed to create the control socket {path}: {ex.Message}", ex);
        }

        return new ControlServer(socket, path, snapshot);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                using var client = await _socket.AcceptAsync(_stopping.Token).ConfigureAwait(false);
                var json = JsonSerializer.SerializeToUtf8Bytes(_snapshot(), ControlJsonContext.Default.StatusDocument);
                await client.SendAsync(json, SocketFlags.None, _stopping.Token).ConfigureAwait(false);
                client.Shutdown(SocketShutdown.Both);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                // A status client that went away mid-answer; keep serving others.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stopping.Cancel();
        _socket.Dispose();
        await _loop.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        File.Delete(_path);
        _stopping.Dispose();
    }
}
