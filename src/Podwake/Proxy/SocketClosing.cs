using System.Net.Sockets;

namespace Podwake.Proxy;

internal static class SocketClosing
{
    private static readonly TimeSpan DrainLimit = TimeSpan.FromSeconds(1);

    /// <summary>
    /// Closes a client we will not serve with a FIN, not a reset: closing a socket whose request was
    /// never read makes the kernel send RST, which clients report as "connection reset". So shut
    /// down our side, read what the client sent until it closes or a short limit passes, then close.
    /// </summary>
    /// <param name="time">The clock of the drain limit.</param>
    public static async Task CloseCleanlyAsync(Socket socket, TimeProvider time)
    {
        try
        {
            socket.Shutdown(SocketShutdown.Send);
            using var limit = new CancellationTokenSource(DrainLimit, time);
            var sink = new byte[4096];
            while (await socket.ReceiveAsync(sink, SocketFlags.None, limit.Token).ConfigureAwait(false) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            socket.Dispose();
        }
    }
}
