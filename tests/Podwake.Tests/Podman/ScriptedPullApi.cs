using System.Net;
using System.Text;
using Podwake.Podman;

namespace Podwake.Tests.Podman;

/// <summary>
/// podman's API answering scripted statuses and bodies in turn (a pull, then the inspect after a compatible pull), as
/// podman streams them: the <see cref="PodmanClient"/> seam's handler.
/// </summary>
internal sealed class ScriptedPullApi(params (HttpStatusCode Status, string Body)[] answers) : HttpMessageHandler
{
    private int _next;

    public ScriptedPullApi(HttpStatusCode status, string body)
        : this((status, body))
    {
    }

    /// <summary>Each request as <c>METHOD /path?query</c>, in order.</summary>
    public List<string> Requests { get; } = [];

    /// <summary>The first request; null until one came.</summary>
    public string? Request => Requests.FirstOrDefault();

    public PodmanClient Client() => new(this, "/nonexistent/podman.sock");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add($"{request.Method} {request.RequestUri!.PathAndQuery}");
        var (status, body) = answers[Math.Min(_next++, answers.Length - 1)];
        return Task.FromResult(new HttpResponseMessage(status)
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))),
        });
    }
}
