using System.Net;
using System.Net.Sockets;

namespace Podwake.Tests.Updates;

/// <summary>
/// A scripted <see cref="HttpMessageHandler"/> for the client's unit tests: answers each request with the script's
/// function and records what was asked (method, URL, Authorization). The real registry is in the integration tests.
/// </summary>
internal sealed class ScriptedRegistry : HttpMessageHandler
{
    private readonly Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> _answer;

    public ScriptedRegistry(Func<HttpRequestMessage, HttpResponseMessage> answer)
        : this((request, _) => Task.FromResult(answer(request)))
    {
    }

    public ScriptedRegistry(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) => _answer = answer;

    public List<string> Requests { get; } = [];

    public static HttpRequestException Refused() =>
        new(HttpRequestError.ConnectionError, "Connection refused (127.0.0.1:5601)", new SocketException((int)SocketError.ConnectionRefused));

    public static HttpResponseMessage Digest(string digest)
    {
        var response = new HttpResponseMessage(HttpStatusCode.OK);
        response.Headers.Add("Docker-Content-Digest", digest);
        return response;
    }

    public static HttpResponseMessage Challenge(string scheme, string parameters)
    {
        var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        response.Headers.WwwAuthenticate.Add(new System.Net.Http.Headers.AuthenticationHeaderValue(scheme, parameters));
        return response;
    }

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        lock (Requests)
        {
            Requests.Add($"{request.Method} {request.RequestUri} {request.Headers.Authorization}".TrimEnd());
        }

        return _answer(request, cancellationToken);
    }
}
