using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json.Serialization.Metadata;

namespace Podwake.Podman;

/// <summary>
/// A client of podman's libpod REST API (v4) on its unix socket. One instance keeps its connections pooled, so a
/// wake costs one HTTP request on an open connection and no process spawn.
/// Errors: a non-success answer is a <see cref="PodmanException"/>; a socket that refuses, is missing or does not
/// answer within <see cref="RequestTimeout"/> is a <see cref="PodmanUnavailableException"/> saying what to start.
/// </summary>
internal sealed partial class PodmanClient : IDisposable
{
    /// <summary>The host part is ignored (the transport is the socket); v4.0.0 is the oldest libpod API 4.3 serves.</summary>
    public static readonly Uri BaseAddress = new("http://d/v4.0.0/libpod/");

    /// <summary>Most connections open to podman's API at once.</summary>
    internal const int MaxConnections = 32;

    /// <summary>How long an unused pooled connection stays open.</summary>
    internal static readonly TimeSpan IdleConnectionTimeout = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan DefaultRequestTimeout = TimeSpan.FromSeconds(30);

    private readonly HttpClient _http;

    public PodmanClient(string socketPath, TimeSpan? requestTimeout = null, TimeProvider? time = null)
        : this(CreateHandler(socketPath), socketPath, requestTimeout, time)
    {
    }

    /// <summary>The seam for tests: any handler in place of the unix-socket transport.</summary>
    internal PodmanClient(HttpMessageHandler handler, string socketPath, TimeSpan? requestTimeout = null, TimeProvider? time = null)
    {
        SocketPath = socketPath;
        Time = time ?? TimeProvider.System;
        RequestTimeout = requestTimeout ?? DefaultRequestTimeout;
        // Timeouts are per call (linked tokens): the event stream and exec/wait must be able to run forever.
        _http = new HttpClient(handler, disposeHandler: true) { BaseAddress = BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
    }

    public string SocketPath { get; }

    /// <summary>The clock of its request timeouts and polls, and of the API service that answers on its socket.</summary>
    public TimeProvider Time { get; }

    /// <summary>Bound on one ordinary request (not on streams, waits and execs, which the caller's token bounds).</summary>
    public TimeSpan RequestTimeout { get; }

    public void Dispose() => _http.Dispose();

    /// <summary>GET /_ping; throws <see cref="PodmanUnavailableException"/> when nothing answers in <paramref name="timeout"/>.</summary>
    public async Task PingAsync(CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        using var response = await SendAsync(HttpMethod.Get, "_ping", null, "ping podman", cancellationToken, timeout ?? RequestTimeout)
            .ConfigureAwait(false);
        await EnsureSuccessAsync(response, "ping podman", cancellationToken).ConfigureAwait(false);
    }

    public async Task<PodmanVersion> GetVersionAsync(CancellationToken cancellationToken)
    {
        const string operation = "read podman's version";
        using var response = await SendAsync(HttpMethod.Get, "version", null, operation, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, PodmanJsonContext.Default.PodmanVersion, operation, cancellationToken).ConfigureAwait(false);
    }

    private static SocketsHttpHandler CreateHandler(string socketPath) => new()
    {
        ConnectCallback = async (_, cancellationToken) =>
        {
            var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
            try
            {
                await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), cancellationToken).ConfigureAwait(false);
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        },
        ConnectTimeout = TimeSpan.FromSeconds(5),
        UseProxy = false,
        UseCookies = false,
        AllowAutoRedirect = false,
        // Bounded both ways: at most MaxConnections open to podman at once (requests past it wait for one), and an idle
        // one is closed after IdleConnectionTimeout (it was 5 minutes: ~290 idle connections piled up after 300 rapid
        // wake cycles, each a goroutine and an fd in podman too). Long requests (the event stream, a container wait,
        // exec) hold one each; a serve has one stream and a wait per service at most, far below the bound.
        MaxConnectionsPerServer = MaxConnections,
        PooledConnectionIdleTimeout = IdleConnectionTimeout,
    };

    private static string Escape(string segment) => Uri.EscapeDataString(segment);

    private async Task<bool> ExistsAsync(string path, string operation, CancellationToken cancellationToken)
    {
        using var response = await SendAsync(HttpMethod.Get, path, null, operation, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }

        await EnsureSuccessAsync(response, operation, cancellationToken).ConfigureAwait(false);
        return true;
    }

    /// <summary>
    /// Sends one request. <paramref name="timeout"/> = null bounds it by <see cref="RequestTimeout"/>;
    /// <see cref="Timeout.InfiniteTimeSpan"/> leaves it to the caller's token (streams, waits).
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(
        HttpMethod method,
        string path,
        HttpContent? content,
        string operation,
        CancellationToken cancellationToken,
        TimeSpan? timeout = null,
        HttpCompletionOption completion = HttpCompletionOption.ResponseContentRead,
        (string Name, string Value)? header = null)
    {
        var limit = timeout ?? RequestTimeout;
        using var deadline = limit == Timeout.InfiniteTimeSpan ? null : new CancellationTokenSource(limit, Time);
        using var timeoutSource = deadline is null
            ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken)
            : CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);

        using var request = new HttpRequestMessage(method, path) { Content = content };
        if (header is { } extra)
        {
            request.Headers.TryAddWithoutValidation(extra.Name, extra.Value);
        }

        try
        {
            return await _http.SendAsync(request, completion, timeoutSource.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new PodmanUnavailableException(
                $"Failed to {operation}: podman's API socket {SocketPath} did not answer within {limit.TotalSeconds:0.#} s; " +
                "is 'podman system service' hung? Restart it.");
        }
        catch (HttpRequestException e)
        {
            throw Unreachable(operation, e);
        }
    }

    private PodmanUnavailableException Unreachable(string operation, Exception e)
    {
        var reason = e.InnerException is SocketException socketError ? socketError.Message : e.Message;
        return new PodmanUnavailableException(
            $"Failed to {operation}: cannot talk to podman's API socket {SocketPath} ({reason}). " +
            $"Start the API service: 'podman system service --time=0 unix://{SocketPath}' " +
            "(or 'systemctl [--user] start podman.socket').",
            e);
    }

    private static async Task EnsureSuccessAsync(
        HttpResponseMessage response, string operation, CancellationToken cancellationToken, HttpStatusCode alsoFine = HttpStatusCode.OK)
    {
        if (response.IsSuccessStatusCode || response.StatusCode == alsoFine)
        {
            return;
        }

        throw await ErrorAsync(response, operation, cancellationToken).ConfigureAwait(false);
    }

    private static async Task<PodmanException> ErrorAsync(HttpResponseMessage response, string operation, CancellationToken cancellationToken)
    {
        string? message = null;
        string? cause = null;
        var body = await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var error = System.Text.Json.JsonSerializer.Deserialize(body, PodmanJsonContext.Default.ErrorResponse);
            message = error?.Message;
            cause = error?.Cause;
        }
        catch (System.Text.Json.JsonException)
        {
            message = body.Length > 500 ? body[..500] : body;
        }

        return new PodmanException(operation, response.StatusCode, string.IsNullOrWhiteSpace(message) ? null : message.Trim(), cause);
    }

    private static async Task<T> ReadAsync<T>(
        HttpResponseMessage response, JsonTypeInfo<T> typeInfo, string operation, CancellationToken cancellationToken)
    {
        await EnsureSuccessAsync(response, operation, cancellationToken).ConfigureAwait(false);
        var value = await response.Content.ReadFromJsonAsync(typeInfo, cancellationToken).ConfigureAwait(false);
        return value ?? throw new PodmanException(operation, response.StatusCode, "podman answered with an empty body", null);
    }

    private static JsonContent Json<T>(T value, JsonTypeInfo<T> typeInfo) => JsonContent.Create(value, typeInfo);
}
