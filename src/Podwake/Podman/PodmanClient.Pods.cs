using System.Globalization;
using System.Net;

namespace Podwake.Podman;

/// <summary>Pod lifecycle: start, stop, inspect, remove (a <c>pod:</c> service's pod, created by podman kube play).</summary>
internal sealed partial class PodmanClient
{
    /// <summary>POST pods/{name}/start: starts every container of the pod not running yet. Already running (304) is success.</summary>
    public async Task StartPodAsync(string name, CancellationToken cancellationToken)
    {
        var operation = $"start pod {name}";
        using var response = await SendAsync(HttpMethod.Post, $"pods/{Escape(name)}/start", null, operation, cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, operation, cancellationToken, HttpStatusCode.NotModified).ConfigureAwait(false);
    }

    /// <summary>POST pods/{name}/stop?t=N: each container gets its stop signal, SIGKILL after N s. Already stopped (304) is success.</summary>
    public async Task StopPodAsync(string name, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var operation = $"stop pod {name}";
        var path = $"pods/{Escape(name)}/stop?t={timeoutSeconds.ToString(CultureInfo.InvariantCulture)}";
        using var response = await SendAsync(HttpMethod.Post, path, null, operation, cancellationToken,
            RequestTimeout + TimeSpan.FromSeconds(timeoutSeconds)).ConfigureAwait(false);
        await EnsureSuccessAsync(response, operation, cancellationToken, HttpStatusCode.NotModified).ConfigureAwait(false);
    }

    public async Task<PodInspect> InspectPodAsync(string name, CancellationToken cancellationToken)
    {
        var operation = $"inspect pod {name}";
        using var response = await SendAsync(HttpMethod.Get, $"pods/{Escape(name)}/json", null, operation, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, PodmanJsonContext.Default.PodInspect, operation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>DELETE pods/{name}?force=true: stops and removes the pod and its containers; a pod that does not exist is success.</summary>
    public async Task RemovePodAsync(string name, CancellationToken cancellationToken)
    {
        var operation = $"remove pod {name}";
        using var response = await SendAsync(HttpMethod.Delete, $"pods/{Escape(name)}?force=true", null, operation, cancellationToken,
            RequestTimeout * 2).ConfigureAwait(false);
        await EnsureSuccessAsync(response, operation, cancellationToken, HttpStatusCode.NotFound).ConfigureAwait(false);
    }
}
