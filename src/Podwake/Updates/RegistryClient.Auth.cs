using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Podwake.Updates;

/// <summary>The answer to a 401: Basic with the auth file's credentials, or a Bearer token from the challenge's realm.</summary>
internal sealed partial class RegistryClient
{
    /// <summary>A token answer is a few KiB; a longer one is not a token.</summary>
    private const int MaxTokenBytes = 1024 * 1024;

    private async Task<AuthenticationHeaderValue> AuthorizeAsync(
        HttpClient client, ImageLocation image, AuthChallenge? challenge, AuthLookup auth, CancellationToken ct)
    {
        var basic = auth.Credentials is { } credentials
            ? new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{credentials.User}:{credentials.Password}")))
            : null;
        if (challenge is { IsBearer: true })
        {
            return new AuthenticationHeaderValue("Bearer", await TokenAsync(client, image, challenge, basic, auth, ct).ConfigureAwait(false));
        }

        if (challenge is { IsBasic: true } && basic is not null)
        {
            return basic;
        }

        if (challenge is null || challenge.IsBasic)
        {
            throw RegistryErrors.Unauthorized(image, HttpStatusCode.Unauthorized, auth, _access.AuthFiles.Searched);
        }

        throw RegistryErrors.Other(image, $"the registry asks for {challenge.Scheme} authentication, which podwake (like podman) does not speak");
    }

    /// <summary>
    /// GET REALM?service=…&amp;scope=repository:REPO:pull (distribution/docs/spec/auth/token.md), with Basic credentials
    /// when there are any, anonymously otherwise (public repositories on Docker Hub and others hand out pull tokens).
    /// </summary>
    private async Task<string> TokenAsync(
        HttpClient client, ImageLocation image, AuthChallenge challenge, AuthenticationHeaderValue? basic, AuthLookup auth, CancellationToken ct)
    {
        if (!Uri.TryCreate(challenge.Realm, UriKind.Absolute, out var realm) || (realm.Scheme != Uri.UriSchemeHttps && realm.Scheme != Uri.UriSchemeHttp))
        {
            throw RegistryErrors.Other(image, $"the Bearer challenge's realm \"{challenge.Realm}\" is not an http(s) address");
        }

        var query = new List<string>();
        if (challenge.Service is { } service)
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        query.Add("scope=" + Uri.EscapeDataString(challenge.Scope ?? $"repository:{image.Repository}:pull"));
        var separator = string.IsNullOrEmpty(realm.Query) ? "?" : "&";
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(realm + separator + string.Join('&', query)));
        request.Headers.Authorization = basic;
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct).ConfigureAwait(false);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw RegistryErrors.Unauthorized(image, response.StatusCode, auth, _access.AuthFiles.Searched);
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw RegistryErrors.Other(image, $"the token request to {realm.GetLeftPart(UriPartial.Path)} answered {RegistryErrors.Status(response.StatusCode)}");
        }

        if (response.Content.Headers.ContentLength > MaxTokenBytes)
        {
            throw RegistryErrors.Other(image, $"the token answer is larger than {MaxTokenBytes} bytes");
        }

        var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        return RegistryJson.Token(body)
            ?? throw RegistryErrors.Other(image, $"the token answer from {realm.GetLeftPart(UriPartial.Path)} holds no token");
    }
}
