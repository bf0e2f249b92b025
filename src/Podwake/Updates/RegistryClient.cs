using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;

namespace Podwake.Updates;

/// <summary>
/// Asks a registry for the manifest digest a tag names now, as podman (containers/image) would pull it: <c>HEAD
/// /v2/REPO/manifests/TAG</c> accepting the OCI and Docker v2 manifests and their multi-arch lists, the
/// <c>Docker-Content-Digest</c> answer (a GET and a SHA-256 of the body when a registry leaves it out). Anonymous
/// first; on 401 the challenge says how: Basic with the auth file's credentials, or a Bearer token from the realm.
/// An insecure registry (registries.conf) is tried over HTTPS without verifying its certificate, then over plain HTTP.
/// </summary>
internal sealed partial class RegistryClient : IRegistryDigests
{
    /// <summary>A whole check, every request and retry included: a registry that answers slower is called unreachable.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(20);

    /// <summary>Registries refuse manifests above 4 MiB (distribution's default); a longer body is not a manifest.</summary>
    private const int MaxBodyBytes = 4 * 1024 * 1024;

    /// <summary>What podman's pull accepts (containers/image <c>manifest.DefaultRequestedManifestMIMETypes</c>, schema 1 left out).</summary>
    public static IReadOnlyList<string> ManifestTypes { get; } =
    [
        "application/vnd.oci.image.index.v1+json",
        "application/vnd.oci.image.manifest.v1+json",
        "application/vnd.docker.distribution.manifest.list.v2+json",
        "application/vnd.docker.distribution.manifest.v2+json",
    ];

    private readonly RegistryAccess _access;
    private readonly TimeProvider _time;
    private readonly HttpClient _verified;
    private readonly HttpClient _unverified;

    /// <summary>The scheme that answered last per insecure registry, so a run's later checks skip the failing HTTPS try.</summary>
    private readonly ConcurrentDictionary<string, string> _schemes = new(StringComparer.Ordinal);

    public RegistryClient(RegistryAccess access, TimeProvider time, HttpMessageHandler? handler = null)
    {
        _access = access;
        _time = time;
        if (handler is not null)
        {
            _verified = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
            _unverified = _verified;
        }
        else
        {
            _verified = new HttpClient(NewHandler(verify: true)) { Timeout = Timeout.InfiniteTimeSpan };
            _unverified = new HttpClient(NewHandler(verify: false)) { Timeout = Timeout.InfiniteTimeSpan };
        }
    }

    /// <summary>The digest (<c>sha256:…</c>) of the manifest <paramref name="imageReference"/> names in its registry now.</summary>
    /// <exception cref="RegistryCheckException">The registry cannot be asked, refuses, or has no such tag.</exception>
    public (string User, string Password)? CredentialsFor(string imageReference) =>
        _access.Credentials(ImageLocation.Parse(imageReference)).Credentials is { } found ? (found.User, found.Password) : null;

    public async Task<string> GetDigestAsync(string imageReference, CancellationToken ct)
    {
        ImageLocation image;
        try
        {
            image = ImageLocation.Parse(imageReference);
        }
        catch (ArgumentException e)
        {
            throw new RegistryCheckException(Podman.ImagePullFailure.Other, Podman.ImagePullErrors.Registry(imageReference), e.Message, e);
        }

        if (image.Digest is { } pinned)
        {
            return pinned; // a reference by digest names one manifest for ever
        }

        using var timeout = new CancellationTokenSource(CheckTimeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(ct, timeout.Token);
        try
        {
            return await CheckAsync(image, linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            throw RegistryErrors.Unreachable(image, $"no answer within {CheckTimeout.TotalSeconds:0} s", e);
        }
    }

    public void Dispose()
    {
        _verified.Dispose();
        _unverified.Dispose();
    }

    private async Task<string> CheckAsync(ImageLocation image, CancellationToken ct)
    {
        var auth = _access.Credentials(image);
        if (!_access.IsInsecure(image))
        {
            return await CheckOverAsync(_verified, Uri.UriSchemeHttps, image, auth, ct).ConfigureAwait(false);
        }

        // containers/image's insecure registries: HTTPS without verification, and plain HTTP when that fails.
        if (_schemes.TryGetValue(image.Endpoint, out var known) && known == Uri.UriSchemeHttp)
        {
            return await CheckOverAsync(_unverified, Uri.UriSchemeHttp, image, auth, ct).ConfigureAwait(false);
        }

        try
        {
            return await CheckOverAsync(_unverified, Uri.UriSchemeHttps, image, auth, ct).ConfigureAwait(false);
        }
        catch (RegistryCheckException e) when (e.InnerException is HttpRequestException)
        {
            var digest = await CheckOverAsync(_unverified, Uri.UriSchemeHttp, image, auth, ct).ConfigureAwait(false);
            _schemes[image.Endpoint] = Uri.UriSchemeHttp;
            return digest;
        }
    }

    private async Task<string> CheckOverAsync(HttpClient client, string scheme, ImageLocation image, AuthLookup auth, CancellationToken ct)
    {
        var manifest = new Uri($"{scheme}://{image.Endpoint}/v2/{image.Repository}/manifests/{image.Tag}");
        try
        {
            AuthenticationHeaderValue? authorization = null;
            var response = await SendAsync(client, HttpMethod.Head, manifest, authorization, ct).ConfigureAwait(false);
            if (response.StatusCode == HttpStatusCode.Unauthorized)
            {
                var challenge = AuthChallenge.Choose(response.Headers.WwwAuthenticate);
                response.Dispose();
                authorization = await AuthorizeAsync(client, image, challenge, auth, ct).ConfigureAwait(false);
                response = await SendAsync(client, HttpMethod.Head, manifest, authorization, ct).ConfigureAwait(false);
            }

            using (response)
            {
                return await DigestOfAsync(client, manifest, image, response, authorization, auth, ct).ConfigureAwait(false);
            }
        }
        catch (HttpRequestException e)
        {
            throw RegistryErrors.FromRequestFailure(image, e);
        }
    }

    private async Task<string> DigestOfAsync(
        HttpClient client, Uri manifest, ImageLocation image, HttpResponseMessage response, AuthenticationHeaderValue? authorization,
        AuthLookup auth, CancellationToken ct)
    {
        switch (response.StatusCode)
        {
            case HttpStatusCode.OK:
                if (response.Headers.TryGetValues("Docker-Content-Digest", out var values) && values.FirstOrDefault() is { Length: > 0 } digest)
                {
                    return digest.Trim();
                }

                using (var get = await SendAsync(client, HttpMethod.Get, manifest, authorization, ct).ConfigureAwait(false))
                {
                    if (get.StatusCode != HttpStatusCode.OK)
                    {
                        throw RegistryErrors.Other(image, $"GET of the manifest answered {RegistryErrors.Status(get.StatusCode)}");
                    }

                    var body = await ReadBoundedAsync(get, image, ct).ConfigureAwait(false);
                    return "sha256:" + Convert.ToHexStringLower(SHA256.HashData(body));
                }

            case HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden:
                throw RegistryErrors.Unauthorized(image, response.StatusCode, auth, _access.AuthFiles.Searched);
            case HttpStatusCode.NotFound:
                throw RegistryErrors.NotFound(image, await ErrorCodeAsync(client, manifest, authorization, ct).ConfigureAwait(false));
            default:
                throw RegistryErrors.Other(image, $"the manifest request answered {RegistryErrors.Status(response.StatusCode)}");
        }
    }

    /// <summary>A HEAD has no body: a GET tells the 404's code (MANIFEST_UNKNOWN, NAME_UNKNOWN), or null.</summary>
    private async Task<string?> ErrorCodeAsync(HttpClient client, Uri manifest, AuthenticationHeaderValue? authorization, CancellationToken ct)
    {
        try
        {
            using var get = await SendAsync(client, HttpMethod.Get, manifest, authorization, ct).ConfigureAwait(false);
            if (get.StatusCode != HttpStatusCode.NotFound || get.Content.Headers.ContentLength > MaxBodyBytes)
            {
                return null;
            }

            var body = await get.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
            return RegistryJson.FirstErrorCode(body);
        }
        catch (HttpRequestException)
        {
            return null; // the 404 stands; its code was only a nicety
        }
    }

    private static async Task<HttpResponseMessage> SendAsync(
        HttpClient client, HttpMethod method, Uri uri, AuthenticationHeaderValue? authorization, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, uri);
        foreach (var type in ManifestTypes)
        {
            request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(type));
        }

        request.Headers.Authorization = authorization;
        return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
    }

    private static async Task<byte[]> ReadBoundedAsync(HttpResponseMessage response, ImageLocation image, CancellationToken ct)
    {
        if (response.Content.Headers.ContentLength > MaxBodyBytes)
        {
            throw RegistryErrors.Other(image, $"the manifest is larger than {MaxBodyBytes} bytes");
        }

        await using var stream = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false);
        using var copy = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(buffer, ct).ConfigureAwait(false)) > 0)
        {
            if (copy.Length + read > MaxBodyBytes)
            {
                throw RegistryErrors.Other(image, $"the manifest is larger than {MaxBodyBytes} bytes");
            }

            copy.Write(buffer, 0, read);
        }

        return copy.ToArray();
    }

    private static SocketsHttpHandler NewHandler(bool verify)
    {
        var handler = new SocketsHttpHandler
        {
            // .NET never follows an HTTPS → HTTP redirect; a few hops cover registries that redirect manifests to storage.
            AllowAutoRedirect = true,
            MaxAutomaticRedirections = 5,
            ConnectTimeout = TimeSpan.FromSeconds(10),
            PooledConnectionIdleTimeout = TimeSpan.FromSeconds(30),
            UseCookies = false,
        };
        if (!verify)
        {
            handler.SslOptions.RemoteCertificateValidationCallback = static (_, _, _, _) => true;
        }

        return handler;
    }
}
