using System.Text.Json;
using Podwake.Podman.Wire;

namespace Podwake.Podman;

/// <summary>Pulling an image, with its progress as <see cref="PullEvent"/>s.</summary>
internal sealed partial class PodmanClient
{
    private const string TryingToPull = "Trying to pull ";

    /// <summary>
    /// Pulls <paramref name="reference"/> and returns the image's ID; each step goes to <paramref name="progress"/> as it
    /// comes. A reference naming its registry goes through the docker-compatible <c>POST images/create</c>, the one
    /// endpoint of podman 4.3.1 that streams bytes per blob (libpod's <c>images/pull</c> only says "Copying blob …");
    /// a short name through libpod's <c>images/pull</c>, because the compatible endpoint resolves short names as docker
    /// does (docker.io) rather than through registries.conf. A registry's refusal is an <see cref="ImagePullException"/>
    /// (podman answers 200 first and sends the failure as an <c>error</c> line, the same text on both endpoints); a
    /// socket that goes away is a <see cref="PodmanUnavailableException"/>. Bounded by the caller's token only: a large
    /// image takes as long as it takes. <paramref name="credentials"/> go to podman in its <c>X-Registry-Auth</c> header
    /// (as podman-remote sends them): the API service may run as another process, which does not read the auth file
    /// podwake found them in.
    /// </summary>
    public Task<string> PullImageAsync(string reference, Action<PullEvent>? progress, CancellationToken cancellationToken, (string User, string Password)? credentials = null) =>
        ImagePullErrors.Registry(reference) == ImagePullErrors.DefaultRegistry && !reference.StartsWith(ImagePullErrors.DefaultRegistry + "/", StringComparison.Ordinal)
            ? PullShortNameAsync(reference, progress, cancellationToken, credentials)
            : PullWithBytesAsync(reference, progress, cancellationToken, credentials);

    /// <summary>POST /v4.0.0/images/create?fromImage=REFERENCE (the compatible API under libpod's version).</summary>
    private async Task<string> PullWithBytesAsync(string reference, Action<PullEvent>? progress, CancellationToken cancellationToken, (string User, string Password)? credentials)
    {
        var operation = $"pull image {reference}";
        var registry = ImagePullErrors.Registry(reference);
        using var response = await StartPullAsync($"/v4.0.0/images/create?fromImage={Escape(reference)}", reference, registry, operation, credentials, cancellationToken)
            .ConfigureAwait(false);
        HashSet<string> done = [];
        string? last = null;
        await foreach (var line in ReadLinesAsync(response, operation, cancellationToken).ConfigureAwait(false))
        {
            var report = ParseCompatReport(line);
            if (!string.IsNullOrWhiteSpace(report.Error))
            {
                throw new ImagePullException(reference, registry, report.Error);
            }

            if (string.IsNullOrEmpty(report.Id))
            {
                continue;
            }

            // The stream's last line is "Download complete" under the image's short ID, which is also the config blob's
            // own "Download complete": the last ID seen is the image's, and a blob is done once.
            last = report.Id;
            var step = report.Status switch
            {
                "Pulling fs layer" => new PullEvent(PullEventKind.LayerStarted, report.Id),
                "Downloading" => new PullEvent(PullEventKind.LayerProgress, report.Id, report.Progress?.Current ?? 0, report.Progress?.Total ?? 0),
                "Already exists" => done.Add(report.Id) ? new PullEvent(PullEventKind.LayerExists, report.Id) : null,
                "Download complete" => done.Add(report.Id) ? new PullEvent(PullEventKind.LayerDone, report.Id) : null,
                _ => null,
            };
            if (step is not null)
            {
                progress?.Invoke(step);
            }
        }

        // The stream names the image by 12 digits only (callers compare full IDs), and a stream cut after a blob's
        // "Download complete" looks like the end: the image being local and that ID is what says the pull ended.
        var image = last is null ? null : await InspectImageAsync(reference, cancellationToken).ConfigureAwait(false);
        if (image is null || !image.Id.StartsWith(last!, StringComparison.Ordinal))
        {
            throw new PodmanUnavailableException($"Failed to {operation}: podman at {SocketPath} closed the stream before the pull ended.");
        }

        return image.Id;
    }

    /// <summary>POST images/pull?reference=…: libpod's pull, progress as podman's text lines.</summary>
    private async Task<string> PullShortNameAsync(string reference, Action<PullEvent>? progress, CancellationToken cancellationToken, (string User, string Password)? credentials)
    {
        var operation = $"pull image {reference}";
        var registry = ImagePullErrors.Registry(reference);
        using var response = await StartPullAsync($"images/pull?reference={Escape(reference)}", reference, registry, operation, credentials, cancellationToken)
            .ConfigureAwait(false);
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

                progress?.Invoke(new PullEvent(PullEventKind.Text, text));
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

    private async Task<HttpResponseMessage> StartPullAsync(
        string path, string reference, string registry, string operation, (string User, string Password)? credentials, CancellationToken cancellationToken)
    {
        var response = await SendAsync(HttpMethod.Post, path, null, operation, cancellationToken, Timeout.InfiniteTimeSpan, HttpCompletionOption.ResponseHeadersRead,
            RegistryAuthHeader(credentials)).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        using (response)
        {
            // Refused before pulling (an empty or malformed reference): 400/500 with podman's usual error body.
            var refusal = await ErrorAsync(response, operation, cancellationToken).ConfigureAwait(false);
            throw new ImagePullException(reference, registry, refusal.PodmanMessage ?? refusal.Message);
        }
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

    /// <summary>A line that is not the compatible API's JSON is skipped: the stream's end and errors are what count.</summary>
    private static CompatPullReport ParseCompatReport(string line)
    {
        try
        {
            return JsonSerializer.Deserialize(line, PodmanJsonContext.Default.CompatPullReport) ?? new CompatPullReport();
        }
        catch (JsonException)
        {
            return new CompatPullReport();
        }
    }
}
