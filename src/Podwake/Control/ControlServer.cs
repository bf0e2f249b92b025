using System.Net.Sockets;
using System.Text.Json;
using Podwake.Host;
using Podwake.Updates;

namespace Podwake.Control;

/// <summary>
/// A unix socket beside podman's (<see cref="RuntimePaths"/>) where <c>podwake status</c> reads a running serve's
/// state and <c>podwake update</c> asks it to update its services: connect, send one JSON <see cref="ControlRequest"/>
/// and shut the sending side, read one JSON answer (a <see cref="StatusDocument"/> or an <see cref="UpdateReport"/>),
/// done. One socket per process (named by PID) so several serves on one host are all found. The socket is the user's
/// (mode 0600 in the user's runtime directory): whoever may connect may also stop the containers with podman.
/// </summary>
internal sealed class ControlServer : IAsyncDisposable
{
    /// <summary>A request is one small JSON document; more is not a client of ours.</summary>
    private const int MaxRequestBytes = 64 * 1024;

    /// <summary>How long a client may take to send its request (an old status client sends nothing and waits).</summary>
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(2);

    private readonly Socket _socket;
    private readonly string _path;
    private readonly Func<StatusDocument> _snapshot;
    private readonly Func<UpdateRequest, CancellationToken, Task<UpdateReport>>? _update;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Task _loop;

    private ControlServer(Socket socket, string path, Func<StatusDocument> snapshot, Func<UpdateRequest, CancellationToken, Task<UpdateReport>>? update)
    {
        _socket = socket;
        _path = path;
        _snapshot = snapshot;
        _update = update;
        _loop = Task.Run(AcceptLoopAsync);
    }

    public string Path => _path;

    /// <param name="update">Runs an update request; null: this process updates nothing (the request gets an empty report).</param>
    public static ControlServer Start(RuntimePaths paths, Func<StatusDocument> snapshot, Func<UpdateRequest, CancellationToken, Task<UpdateReport>>? update = null)
    {
        paths.EnsureExists();
        var path = paths.ControlSocket(Environment.ProcessId);
        File.Delete(path);
        var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            socket.Bind(new UnixDomainSocketEndPoint(path));
            socket.Listen(ListenDefaults.Backlog);
        }
        catch (SocketException ex)
        {
            socket.Dispose();
            throw new EnvironmentException($"Failed to create the control socket {path}: {ex.Message}", ex);
        }

        return new ControlServer(socket, path, snapshot, update);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _socket.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (Exception) when (_stopping.IsCancellationRequested)
            {
                return;
            }
            catch (SocketException)
            {
                continue;
            }

            // Each client on its own: an update takes seconds, and status must answer meanwhile.
            _ = Task.Run(() => ServeClientAsync(client));
        }
    }

    private async Task ServeClientAsync(Socket client)
    {
        using (client)
        {
            try
            {
                var request = await ReadRequestAsync(client).ConfigureAwait(false);
                byte[] answer;
                if (request.Command == ControlRequest.Update)
                {
                    var report = _update is null
                        ? new UpdateReport { Pid = Environment.ProcessId, Results = [], Unknown = request.Services }
                        : await _update(new UpdateRequest(request.Services, request.DryRun), _stopping.Token).ConfigureAwait(false);
                    answer = JsonSerializer.SerializeToUtf8Bytes(report, ControlJsonContext.Default.UpdateReport);
                }
                else
                {
                    answer = JsonSerializer.SerializeToUtf8Bytes(_snapshot(), ControlJsonContext.Default.StatusDocument);
                }

                await client.SendAsync(answer, SocketFlags.None, _stopping.Token).ConfigureAwait(false);
                client.Shutdown(SocketShutdown.Both);
            }
            catch (Exception ex) when (ex is SocketException or IOException or JsonException or OperationCanceledException)
            {
                // A client that went away or sent garbage: it gets nothing; others are served.
            }
        }
    }

    /// <summary>Reads the request up to the client's shutdown; nothing at all (or a client that sends nothing in time) is status.</summary>
    private async Task<ControlRequest> ReadRequestAsync(Socket client)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stopping.Token);

        // The system clock on purpose: a bound on a local client, which no runtime's clock drives.
        timeout.CancelAfter(RequestTimeout);
        // Small at first, grown as a request needs it: a flood of connections that send nothing costs no 64 KiB each
        // (55 000 of them grew serve from 83 to 480 MB).
        var buffer = new byte[1024];
        var length = 0;
        try
        {
            while (true)
            {
                if (length == buffer.Length)
                {
                    if (buffer.Length >= MaxRequestBytes)
                    {
                        break;
                    }

                    Array.Resize(ref buffer, Math.Min(buffer.Length * 4, MaxRequestBytes));
                }

                var read = await client.ReceiveAsync(buffer.AsMemory(length), SocketFlags.None, timeout.Token).ConfigureAwait(false);
                if (read == 0)
                {
                    break;
                }

                length += read;
            }
        }
        catch (OperationCanceledException) when (!_stopping.IsCancellationRequested)
        {
            return new ControlRequest();
        }

        return length == 0 ? new ControlRequest() : JsonSerializer.Deserialize(buffer.AsSpan(0, length), ControlJsonContext.Default.ControlRequest) ?? new ControlRequest();
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
