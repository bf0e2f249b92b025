using System.Net.Sockets;
using System.Text.Json;

namespace Podwake.Control;

/// <summary>Reads the state of every running <c>podwake serve</c> of this user from their control sockets.</summary>
internal static class StatusClient
{
    public static async Task<IReadOnlyList<StatusDocument>> ReadAllAsync(RuntimePaths paths, CancellationToken cancellationToken)
    {
        var documents = new List<StatusDocument>();
        foreach (var path in paths.ControlSockets().Order(StringComparer.Ordinal))
        {
            var document = await TryReadAsync(path, cancellationToken).ConfigureAwait(false);
            if (document is not null)
            {
                documents.Add(document);
            }
        }

        return documents;
    }

    private static async Task<StatusDocument?> TryReadAsync(string path, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        try
        {
            await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), timeout.Token).ConfigureAwait(false);
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            return await JsonSerializer.DeserializeAsync(stream, ControlJsonContext.Default.StatusDocument, timeout.Token).ConfigureAwait(false);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable)
        {
            // Left behind by a serve that was killed: nobody listens any more.
            TryDelete(path);
            return null;
        }
    }

    private static void TryDelete(string path)
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
