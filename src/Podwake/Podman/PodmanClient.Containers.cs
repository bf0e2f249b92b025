using System.Globalization;
using System.Net;
using System.Text.Json;

namespace Podwake.Podman;

/// <summary>Container lifecycle: create, start, stop, kill, remove, rename, inspect, list, wait.</summary>
internal sealed partial class PodmanClient
{
    /// <summary>POST containers/create; returns the new container's ID.</summary>
    public async Task<string> CreateContainerAsync(ContainerCreateSpec spec, CancellationToken cancellationToken)
    {
        var operation = $"create container {spec.Name} from {spec.Image}";
        using var content = Json(spec, PodmanJsonContext.Default.ContainerCreateSpec);
        using var response = await SendAsync(HttpMethod.Post, "containers/create", content, operation, cancellationToken)
            .ConfigureAwait(false);
        var created = await ReadAsync(response, PodmanJsonContext.Default.IdResponse, operation, cancellationToken).ConfigureAwait(false);
        return created.Id;
    }

    /// <summary>POST containers/{id}/start: the whole of a wake. Already running (304) is success.</summary>
    public async Task StartContainerAsync(string id, CancellationToken cancellationToken)
    {
        var operation = $"start container {id}";
        using var response = await SendAsync(HttpMethod.Post, $"containers/{Escape(id)}/start", null, operation, cancellationToken)
            .ConfigureAwait(false);
        await EnsureSuccessAsync(response, operation, cancellationToken, HttpStatusCode.NotModified).ConfigureAwait(false);
    }

    /// <summary>POST containers/{id}/stop?timeout=N: SIGTERM (the image's stop signal), SIGKILL after N s. Already stopped (304) is success.</summary>
    public async Task StopContainerAsync(string id, int timeoutSeconds, CancellationToken cancellationToken)
    {
        var operation = $"stop container {id}";
        var path = $"containers/{Escape(id)}/stop?timeout={timeoutSeconds.ToString(CultureInfo.InvariantCulture)}";
        using var response = await SendAsync(HttpMethod.Post, path, null, operation, cancellationToken,
            RequestTimeout + TimeSpan.FromSeconds(timeoutSeconds)).ConfigureAwait(false);
        await EnsureSuccessAsync(response, operation, cancellationToken, HttpStatusCode.NotModified).ConfigureAwait(false);
    }

    /// <summary>
    /// POST containers/{id}/kill?signal=S (e.g. <c>SIGKILL</c>, <c>TERM</c>, <c>9</c>). podman 4.3 answers 500
    /// "container state improper" for a container that is not running (<see cref="PodmanException.IsStateImproper"/>).
    /// </summary>
    public async Task KillContainerAsync(string id, string signal, CancellationToken cancellationToken)
    {
        var operation = $"send {signal} to container {id}";
        using var response = await SendAsync(HttpMethod.Post, $"containers/{Escape(id)}/kill?signal={Escape(signal)}", null, operation,
            cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, operation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>DELETE containers/{id}; idempotent: a container that does not exist is success. <paramref name="force"/> stops a running one first.</summary>
    public async Task RemoveContainerAsync(string id, bool force, CancellationToken cancellationToken)
    {
        var operation = $"remove container {id}";
        var path = $"containers/{Escape(id)}?force={(force ? "true" : "false")}";
        using var response = await SendAsync(HttpMethod.Delete, path, null, operation, cancellationToken,
            force ? RequestTimeout * 2 : null).ConfigureAwait(false);
        await EnsureSuccessAsync(response, operation, cancellationToken, HttpStatusCode.NotFound).ConfigureAwait(false);
    }

    /// <summary>POST containers/{id}/rename?name=…: also while it runs (an update's new container takes the service's name).</summary>
    public async Task RenameContainerAsync(string id, string name, CancellationToken cancellationToken)
    {
        var operation = $"rename container {id} to {name}";
        using var response = await SendAsync(HttpMethod.Post, $"containers/{Escape(id)}/rename?name={Escape(name)}", null, operation,
            cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, operation, cancellationToken, HttpStatusCode.NoContent).ConfigureAwait(false);
    }

    public async Task<ContainerInspect> InspectContainerAsync(string id, CancellationToken cancellationToken)
    {
        var operation = $"inspect container {id}";
        using var response = await SendAsync(HttpMethod.Get, $"containers/{Escape(id)}/json", null, operation, cancellationToken)
            .ConfigureAwait(false);
        return await ReadAsync(response, PodmanJsonContext.Default.ContainerInspect, operation, cancellationToken).ConfigureAwait(false);
    }

    public Task<bool> ContainerExistsAsync(string id, CancellationToken cancellationToken) =>
        ExistsAsync($"containers/{Escape(id)}/exists", $"check whether container {id} exists", cancellationToken);

    /// <summary>All containers (running or not), optionally only those with a label: <c>key</c> or <c>key=value</c>.</summary>
    public async Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(string? labelFilter, CancellationToken cancellationToken)
    {
        var operation = labelFilter is null ? "list containers" : $"list containers labelled {labelFilter}";
        var path = "containers/json?all=true";
        if (labelFilter is not null)
        {
            var filters = new Dictionary<string, string[]> { ["label"] = [labelFilter] };
            path += "&filters=" + Escape(JsonSerializer.Serialize(filters, PodmanJsonContext.Default.DictionaryStringStringArray));
        }

        using var response = await SendAsync(HttpMethod.Get, path, null, operation, cancellationToken).ConfigureAwait(false);
        return await ReadAsync(response, PodmanJsonContext.Default.IReadOnlyListContainerSummary, operation, cancellationToken)
            .ConfigureAwait(false);
    }

    /// <summary>POST containers/{id}/wait?condition=C: blocks until the container reaches it; returns its exit code.</summary>
    public async Task<int> WaitAsync(string id, ContainerWaitCondition condition, CancellationToken cancellationToken)
    {
        var name = condition.ToText();
        var operation = $"wait for container {id} to be {name}";
        using var response = await SendAsync(HttpMethod.Post, $"containers/{Escape(id)}/wait?condition={name}", null, operation,
            cancellationToken, Timeout.InfiniteTimeSpan).ConfigureAwait(false);
        return await ReadAsync(response, PodmanJsonContext.Default.Int32, operation, cancellationToken).ConfigureAwait(false);
    }
}
