using System.Net;
using System.Net.Sockets;
using Podwake.Activation;

namespace Podwake.Metrics;

/// <summary>
/// <c>serve --metrics ADDR</c>: a TCP listener answering Prometheus scrapes from the live services of this process.
/// Bound before serve sets anything up (an address in use fails the start at once); a few scrapes at a time, more
/// are closed.
/// </summary>
internal sealed class MetricsListener : IAsyncDisposable
{
    /// <summary>Scrapes answered at once; one scraper needs one.</summary>
    private const int MaxConcurrent = 8;

    private readonly Socket _socket;
    private readonly CancellationTokenSource _stopping = new();
    private readonly SemaphoreSlim _slots = new(MaxConcurrent);
    private Task _accepting = Task.CompletedTask;

    private MetricsListener(Socket socket) => _socket = socket;

    public EndPoint LocalEndPoint => _socket.LocalEndPoint!;

    /// <summary>Binds and listens; throws <see cref="SocketException"/> when the address cannot be bound.</summary>
    public static MetricsListener Bind(IPEndPoint endpoint)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(endpoint);
            socket.Listen(64);
            return new MetricsListener(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    public void Start(Func<IReadOnlyList<ServiceStatus>> read, TimeProvider time) =>
        _accepting = Task.Run(() => AcceptAsync(read, time));

    private async Task AcceptAsync(Func<IReadOnlyList<ServiceStatus>> read, TimeProvider time)
    {
        while (!_stopping.IsCancellationRequested)
        {
            Socket connection;
            try
            {
                connection = await _socket.AcceptAsync(_stopping.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), time, CancellationToken.None).ConfigureAwait(false);
                continue;
            }

            if (!_slots.Wait(0))
            {
                connection.Dispose();
                continue;
            }

            var stopping = _stopping.Token;
            _ = Task.Run(async () =>
            {
                try
                {
                    await MetricsHttp.ServeAsync(connection, _ => Task.FromResult(read()), time, stopping).ConfigureAwait(false);
                }
                finally
                {
                    connection.Dispose();
                    _slots.Release();
                }
            });
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync().ConfigureAwait(false);
        _socket.Dispose();
        await _accepting.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stopping.Dispose();
    }
}
