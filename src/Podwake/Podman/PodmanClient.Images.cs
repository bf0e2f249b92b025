using System.Text.Json;
using Podwake.Podman.Wire;

namespace Podwake.Podman;

/// <summary>Images: whether one is local, what it is, tagging and pulling one.</summary>
internal sealed partial class PodmanClient
{
    private const string TryingToPull = "Trying to pull ";

    /// <summary>GET images/{reference}/exists: 204 yes, 404 no.</summary>
    public Task<bool> ImageExistsAsync(string reference, CancellationToken cancellationToken) =>
        ExistsAsync($"images/{Escape(reference)}/exists", $"check whether image {reference} exists", cancellationToken);

    /// <summary>GET images/{reference}/json: the image's ID and the digests it is known by; null when it is not local.</summary>
    public async Task<ImageInspect?> InspectImageAsync(string reference, CancellationToken cancellationToken)
    {
        var operation = $"inspect image {reference}";
        using var response = await SendAsync(HttpMethod.Get, $"images/{Escape(reference)}/json", null, operation, cancellationToken)
            .ConfigureAwait(false);
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        return await ReadAsync(response, PodmanJsonContext.Default.ImageInspect, operation, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>POST images/{id}/tag?repo=…&amp;tag=…: points <paramref name="reference"/> (REPO:TAG) at image <paramref name="id"/> (a rollback).</summary>
    public async Task TagImageAsync(string id, string reference, CancellationToken cancellationToken)
    {
        var operation = $"tag image {id} as {reference}";
        var slash = reference.LastIndexOf('/');
        var colon = reference.LastIndexOf(':');
        var (repo, tag) = colon > slash ? (reference[..colon], reference[(colon + 1)..]) : (reference, "latest");
        using var response = await SendAsync(HttpMethod.Post, $"images/{Escape(id)}/tag?repo={Escape(repo)}&tag={Escape(tag)}", null, operation,
            cancellationToken).ConfigureAwait(false);
        await EnsureSuccessAsync(response, operation, cancellationToken, System.Net.HttpStatusCode.Created).ConfigureAwait(false);
    }

    /// <summary>
    /// POST images/pull?reference=…: pulls <paramref name="reference"/> and returns the image's ID. podman's progress
    /// text goes to <paramref name="progress"/> one line at a time, as it comes. A registry's refusal is an
    /// <see cref="ImagePullException"/> (podman 4.3 answers 200 first and sends the failure as an <c>error</c> line);
    /// a socket that goes away is a <see cref="PodmanUnavailableException"/>. Bounded by the caller's token only: a
    /// large image takes as long as it takes. <paramref name="credentials"/> go to podman in its <c>X-Registry-Auth</c>
    /// header (as podman-remote sends them): the API service may run as another process, which does not read the auth
    /// file podwake found them in.
    /// </summary>
    public async Task<string> PullImageAsync(string reference, Action<string>? progress, CancellationToken cancellationToken, (string User, string Password)? credentials = null)
    {
        var operation = $"pull image {reference}";
        using var response = await SendAsync(HttpMethod.Post, $"images/pull?reference={Escape(reference)}", null, operation,
            cancellationToken, Timeout.InfiniteTimeSpan, HttpCompletionOption.ResponseHeadersRead, RegistryAuthHeader(credentials)).ConfigureAwait(false);
        var registry = ImagePullErrors.Registry(reference);
        if (!response.IsSuccessStatusCode)
        {
            // Refused before pulling (an empty or unsupported reference): 400/500 with podman's usual error body.
            var refusal = await ErrorAsync(response, operation, cancellationToken).ConfigureAwait(false);
            throw new ImagePullException(reference, registry, refusal.PodmanMessage ?? refusal.Message);
        }

        await foreach (var line in ReadLinesAsync(response, operation, cancellationToken).ConfigureAwait(false))
        {
            var report = ParsePullReport(line);
            foreach (var text in (report.Stream ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                // podman names the registry it resolved a short name to: "Trying to pull docker.io/library/nginx:1...".
                if (text.StartsWith(TryingToPull, StringComparison.Ordinal))
                {
                    registry = ImagePullErrors.Registry(text[TryingToPull.Length..].TrimEnd('.'));
                }

                progress?.Invoke(text);
            }

            if (!string.IsNullOrWhiteSpace(report.Error))
            {
                throw new ImagePullException(reference, registry, report.Error);
            }

            if (!string.IsNullOrEmpty(report.Id))
            {
                return report.Id;
            }
        }

        throw new PodmanUnavailableException($"Failed to {operation}: podman at {SocketPath} closed the stream before the pull ended.");
    }

    /// <summary>A line that is not podman's JSON is still progress: shown as it came rather than failing the pull.</summary>
    private static ImagePullReport ParsePullReport(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, PodmanJsonContext.Default.ImagePullReport) ?? new ImagePullReport();
        }
        catch (JsonException)
        {
            return new ImagePullReport { Stream = line };
        }
    }

    /// <summary>podman's <c>X-Registry-Auth</c>: URL-safe base64 of <c>{"username": …, "password": …}</c>.</summary>
    private static (string, string)? RegistryAuthHeader((string User, string Password)? credentials)
    {
        if (credentials is not { } given)
        {
            return null;
        }

        var json = JsonSerializer.SerializeToUtf8Bytes(new Wire.RegistryAuth { Username = given.User, Password = given.Password }, PodmanJsonContext.Default.RegistryAuth);
        return ("X-Registry-Auth", Convert.ToBase64String(json).Replace('+', '-').Replace('/', '_'));
    }
}
