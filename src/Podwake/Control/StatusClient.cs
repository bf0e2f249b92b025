using System.Globalization;
using System.Net.Sockets;
using System.Text.Json;
using Podwake.Host;

namespace Podwake.Control;

/// <summary>Reads the state of every running <c>podwake serve</c> (and <c>podwake activate</c>) of this user from their control sockets.</summary>
internal static class StatusClient
{
    /// <summary>
    /// How long one process may take to answer. A serve answers from memory in well under a millisecond; one that is
    /// stopped (SIGSTOP) still accepts (the kernel queues the connection) but never writes, and without a bound that one
    /// process made status print nothing at all (it died on the 5 s timeout it had).
    /// </summary>
    public static readonly TimeSpan QueryTimeout = TimeSpan.FromSeconds(2);

    /// <summary>Asks every control socket at once, so several stopped processes cost one timeout, not one each.</summary>
    public static async Task<StatusReadResult> ReadAllAsync(RuntimePaths paths, CancellationToken cancellationToken)
    {
        var sockets = paths.ControlSockets().Order(StringComparer.Ordinal).ToList();
        var answers = await Task.WhenAll(sockets.Select(path => TryReadAsync(path, cancellationToken))).ConfigureAwait(false);
        var documents = answers.Where(a => a.Document is not null).Select(a => a.Document!).ToList();
        var unresponsive = answers.Where(a => a.Unresponsive).Select(a => a.Pid).ToList();
        return new StatusReadResult(documents, unresponsive);
    }

    /// <summary>The PID in <c>serve-PID.sock</c>; 0 when the name has none.</summary>
    public static int PidOf(string path)
    {
        var name = Path.GetFileNameWithoutExtension(path);
        return name.StartsWith("serve-", StringComparison.Ordinal)
               && int.TryParse(name.AsSpan("serve-".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            ? pid
            : 0;
    }

    private static async Task<(StatusDocument? Document, bool Unresponsive, int Pid)> TryReadAsync(string path, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // The system clock on purpose: a one-shot bound on a CLI query that no runtime's clock drives.
        timeout.CancelAfter(QueryTimeout);
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), timeout.Token).ConfigureAwait(false);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await SendRequestAsync(socket, new ControlRequest(), timeout.Token).ConfigureAwait(false);
            var document = await JsonSerializer.DeserializeAsync(stream, ControlJsonContext.Default.StatusDocument, timeout.Token).ConfigureAwait(false);
            return (document, false, PidOf(path));
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable)
        {
            // Left behind by a serve that was killed: nobody listens any more.
            TryDelete(path);
            return (null, false, PidOf(path));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return (null, true, PidOf(path));
        }
        catch (Exception ex) when (ex is SocketException or IOException or JsonException)
        {
            // It went away or answered garbage mid-read: as good as unresponsive for this run of status.
            return (null, true, PidOf(path));
        }
    }

    /// <summary>Sends one request and shuts the sending side: the server reads to that end (a stream over the socket must be made before).</summary>
    internal static async Task SendRequestAsync(Socket socket, ControlRequest request, CancellationToken cancellationToken)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(request, ControlJsonContext.Default.ControlRequest);
        await socket.SendAsync(bytes, SocketFlags.None, cancellationToken).ConfigureAwait(false);
        socket.Shutdown(SocketShutdown.Send);
    }

    internal static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
