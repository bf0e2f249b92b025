using System.Net.Sockets;
using System.Text.Json;
using Podwake.Host;
using Podwake.Updates;

namespace Podwake.Control;

/// <summary>Asks every running <c>podwake serve</c> (and <c>podwake activate</c>) of this user to update its services.</summary>
internal static class UpdateClient
{
    /// <summary>
    /// How long one process may take: a pull, a new container's start and <c>ready.timeout</c>, and the old one's drain.
    /// A process that does not answer in this time is reported, not waited for forever.
    /// </summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(15);

    /// <summary>Sends <paramref name="request"/> to each control socket in turn (one update at a time on a host); the reports of those that answered.</summary>
    public static async Task<IReadOnlyList<UpdateReport>> RequestAllAsync(RuntimePaths paths, UpdateRequest request, Action<int, string> unanswered, CancellationToken cancellationToken)
    {
        var reports = new List<UpdateReport>();
        foreach (var path in paths.ControlSockets().Order(StringComparer.Ordinal))
        {
            if (await TryRequestAsync(path, request, unanswered, cancellationToken).ConfigureAwait(false) is { } report)
            {
                reports.Add(report);
            }
        }

        return reports;
    }

    /// <summary>Sends <paramref name="request"/> to one control socket (a deployed service's activator); null when it did not answer.</summary>
    public static Task<UpdateReport?> RequestAsync(string path, UpdateRequest request, Action<int, string> unanswered, CancellationToken cancellationToken) =>
        TryRequestAsync(path, request, unanswered, cancellationToken);

    /// <summary>
    /// Connects, waiting while the serve's listen queue is full (EAGAIN on a unix socket: a burst of other clients),
    /// as a TCP connect would wait in SYN retries, instead of failing the update at once.
    /// </summary>
    private static async Task ConnectAsync(Socket socket, string path, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(path), cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.TryAgain or SocketError.WouldBlock && attempt < 200)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
            }
        }
    }

    private static async Task<UpdateReport?> TryRequestAsync(string path, UpdateRequest request, Action<int, string> unanswered, CancellationToken cancellationToken)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        // The system clock on purpose: a one-shot bound on a CLI request that no runtime's clock drives.
        timeout.CancelAfter(Timeout);
        try
        {
            await ConnectAsync(socket, path, timeout.Token).ConfigureAwait(false);
            var asked = new ControlRequest { Command = ControlRequest.Update, Services = request.Services, DryRun = request.DryRun };
            await using var stream = new NetworkStream(socket, ownsSocket: false);
            await StatusClient.SendRequestAsync(socket, asked, timeout.Token).ConfigureAwait(false);
            return await JsonSerializer.DeserializeAsync(stream, ControlJsonContext.Default.UpdateReport, timeout.Token).ConfigureAwait(false);
        }
        catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionRefused or SocketError.AddressNotAvailable)
        {
            StatusClient.TryDelete(path);
            return null;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            unanswered(StatusClient.PidOf(path), $"did not answer within {Timeout.TotalMinutes:0} minutes");
            return null;
        }
        catch (Exception ex) when (ex is SocketException or IOException or JsonException)
        {
            unanswered(StatusClient.PidOf(path), ex.Message);
            return null;
        }
    }
}
