using System.Net;
using System.Text;
using Podwake.Podman;

namespace Podwake.Tests.Podman;

/// <summary>libpod's <c>POST images/pull</c> answering a scripted status and body, as podman streams it: the <see cref="PodmanClient"/> seam's handler.</summary>
internal sealed class ScriptedPullApi(HttpStatusCode status, string body) : HttpMessageHandler
{
    /// <summary>The request as <c>METHOD path?query</c> relative to the API base; null until one came.</summary>
    public string? Request { get; private set; }

    public PodmanClient Client() => new(this, "/nonexistent/podman.sock");

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Request = $"{request.Method} {request.RequestUri!.PathAndQuery[PodmanClient.BaseAddress.AbsolutePath.Length..]}";
        return Task.FromResult(new HttpResponseMessage(status)
        {
            Content = new StreamContent(new MemoryStream(Encoding.UTF8.GetBytes(body))),
        });
    }
}
