using System.Text.Json;

namespace Podwake.Podman;

/// <summary>Images: whether one is local, what it is, tagging one (pulling: PodmanClient.Pull.cs).</summary>
internal sealed partial class PodmanClient
{
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
