using System.Buffers;
using System.Net.Sockets;

namespace Podwake.Proxy;

/// <summary>
/// Copies bytes both ways between two connected stream sockets until both directions reach end
/// of stream. An end of stream on one side is passed on as a half-close (shutdown SHUT_WR) on the
/// other, so request/response protocols that half-close keep working. A failure on either side
/// ends both directions and is returned as a value naming the side that failed.
/// </summary>
internal static class TcpPump
{
    /// <summary>Per direction; 64 KiB matches the default socket buffer so bulk copies take one call per read.</summary>
    private const int BufferSize = 64 * 1024;

    /// <param name="firstByteToClient">Called once, after the first bytes from the backend were sent to the client (the end of a wake).</param>
    public static async Task<PumpResult> RunAsync(Socket client, Socket backend, CancellationToken cancellationToken, Action? firstByteToClient = null)
    {
        // No token on each receive/send: registering one per operation costs more than the copy
        // of a small request. Aborting shuts both sockets down instead: shutdown(SHUT_RDWR) sends
        // FIN and completes pending receives with 0, so both loops end. (Disposing a socket with
        // a receive pending would close it abortively: the client would see a reset.)
        var aborted = 0;
        void Abort()
        {
            if (Interlocked.Exchange(ref aborted, 1) == 0)
            {
                ShutdownQuietly(client);
                ShutdownQuietly(backend);
            }
        }

        using var registration = cancellationToken.Register(Abort);
        var up = CopyAsync(client, backend, PumpSide.Client, PumpSide.Backend, Abort, null);
        var down = CopyAsync(backend, client, PumpSide.Backend, PumpSide.Client, Abort, firstByteToClient);
        var (toBackend, failedUp, errorUp) = await up.ConfigureAwait(false);
        var (toClient, failedDown, errorDown) = await down.ConfigureAwait(false);
        if (cancellationToken.IsCancellationRequested)
        {
            return new PumpResult(toBackend, toClient, PumpSide.None, null);
        }

        return failedUp != PumpSide.None
            ? new PumpResult(toBackend, toClient, failedUp, errorUp)
            : new PumpResult(toBackend, toClient, failedDown, errorDown);
    }

    private static async Task<(long Bytes, PumpSide Failed, Exception? Error)> CopyAsync(
        Socket from, Socket to, PumpSide fromSide, PumpSide toSide, Action abort, Action? afterFirstSend)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        long total = 0;
        var blame = fromSide;
        try
        {
            while (true)
            {
                blame = fromSide;
                // Memory<byte>, not byte[]: the ValueTask overload, which allocates nothing per receive.
                var read = await from.ReceiveAsync(buffer.AsMemory(), SocketFlags.None).ConfigureAwait(false);
                if (read == 0)
                {
                    blame = toSide;
                    to.Shutdown(SocketShutdown.Send);
                    return (total, PumpSide.None, null);
                }

                blame = toSide;
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None).ConfigureAwait(false);
                total += read;
                if (afterFirstSend is not null)
                {
                    afterFirstSend();
                    afterFirstSend = null;
                }
            }
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
            // One broken direction ends the other too: no half-open connection is left behind.
            abort();
            return ex is SocketException { SocketErrorCode: SocketError.OperationAborted } or ObjectDisposedException
                ? (total, PumpSide.None, null)
                : (total, blame, ex);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static void ShutdownQuietly(Socket socket)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Both);
        }
        catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
        {
        }
    }
}
