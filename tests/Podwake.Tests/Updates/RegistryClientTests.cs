using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Podwake.Podman;
using Podwake.Updates;
using Xunit;

namespace Podwake.Tests.Updates;

/// <summary>The check's HTTP flows against a scripted handler; the real registry is in the integration tests.</summary>
public sealed class RegistryClientTests : IDisposable
{
    private const string Image = "registry.example:5000/team/app:v2";
    private const string Manifest = "https://registry.example:5000/v2/team/app/manifests/v2";
    private const string DigestA = "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task Head_WithDigestHeader_ReturnsItAndAcceptsIndexAndManifestTypes()
    {
        string[] accepted = [];
        var registry = new ScriptedRegistry(request =>
        {
            accepted = [.. request.Headers.Accept.Select(a => a.MediaType!)];
            return ScriptedRegistry.Digest(DigestA);
        });

        Assert.Equal(DigestA, await CheckAsync(registry));
        Assert.Equal([$"HEAD {Manifest}"], registry.Requests);
        Assert.Equal(
            ["application/vnd.oci.image.index.v1+json", "application/vnd.oci.image.manifest.v1+json",
             "application/vnd.docker.distribution.manifest.list.v2+json", "application/vnd.docker.distribution.manifest.v2+json"],
            accepted);
    }

    [Fact]
    public async Task Head_WithoutDigestHeader_GetsTheManifestAndHashesIt()
    {
        var body = Encoding.UTF8.GetBytes("""{"schemaVersion":2}""");
        var registry = new ScriptedRegistry(request => request.Method == HttpMethod.Head
            ? new HttpResponseMessage(HttpStatusCode.OK)
            : new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(body) });

        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(body)), await CheckAsync(registry));
        Assert.Equal([$"HEAD {Manifest}", $"GET {Manifest}"], registry.Requests);
    }

    [Fact]
    public async Task ByDigest_AsksNothing()
    {
        var registry = new ScriptedRegistry(_ => throw new InvalidOperationException("no request expected"));

        Assert.Equal(DigestA, await CheckAsync(registry, reference: $"registry.example:5000/team/app@{DigestA}"));
        Assert.Empty(registry.Requests);
    }

    [Fact]
    public async Task Basic401_WithCredentials_RetriesWithBasic()
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("podwake:s3cret"));
        var registry = new ScriptedRegistry(request => request.Headers.Authorization?.ToString() == expected
            ? ScriptedRegistry.Digest(DigestA)
            : ScriptedRegistry.Challenge("Basic", "realm=\"r\""));

        Assert.Equal(DigestA, await CheckAsync(registry, credentials: "podwake:s3cret"));
        Assert.Equal([$"HEAD {Manifest}", $"HEAD {Manifest} {expected}"], registry.Requests);
    }

    [Fact]
    public async Task Basic401_WrongCredentials_IsUnauthorizedNamingTheAuthFile()
    {
        var registry = new ScriptedRegistry(_ => ScriptedRegistry.Challenge("Basic", "realm=\"r\""));

        var e = await Assert.ThrowsAsync<RegistryCheckException>(() => CheckAsync(registry, credentials: "podwake:wrong"));

        Assert.Equal(ImagePullFailure.Unauthorized, e.Failure);
        Assert.Equal("registry.example:5000", e.Registry);
        Assert.Equal(
            $"registry registry.example:5000 refused the credentials of {Path.Join(_temp.Path, "auth.json")} (401 Unauthorized); run podman login registry.example:5000",
            e.Message);
    }

    [Fact]
    public async Task Basic401_WithoutCredentials_IsUnauthorizedListingTheSearchedFiles()
    {
        var registry = new ScriptedRegistry(_ => ScriptedRegistry.Challenge("Basic", "realm=\"r\""));

        var e = await Assert.ThrowsAsync<RegistryCheckException>(() => CheckAsync(registry));

        Assert.Equal(ImagePullFailure.Unauthorized, e.Failure);
        Assert.Contains($"none are in {Path.Join(_temp.Path, "auth.json")}; run podman login", e.Message, StringComparison.Ordinal);
        Assert.Single(registry.Requests); // no Basic retry without credentials
    }

    [Theory]
    [InlineData("token")]
    [InlineData("access_token")]
    public async Task Bearer401_GetsATokenFromTheRealmWithBasicAndRetriesWithBearer(string field)
    {
        var basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes("podwake:s3cret"));
        var registry = new ScriptedRegistry(request =>
        {
            if (request.RequestUri!.Host == "auth.example")
            {
                return request.Headers.Authorization?.ToString() == basic
                    ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StringContent($"{{\"{field}\": \"tok-1\", \"expires_in\": 300}}") }
                    : new HttpResponseMessage(HttpStatusCode.Unauthorized);
            }

            return request.Headers.Authorization?.ToString() == "Bearer tok-1"
                ? ScriptedRegistry.Digest(DigestA)
                : ScriptedRegistry.Challenge("Bearer", "realm=\"https://auth.example/token\",service=\"reg\",scope=\"repository:team/app:pull\"");
        });

        Assert.Equal(DigestA, await CheckAsync(registry, credentials: "podwake:s3cret"));
        Assert.Equal(
            [$"HEAD {Manifest}", $"GET https://auth.example/token?service=reg&scope=repository%3Ateam%2Fapp%3Apull {basic}", $"HEAD {Manifest} Bearer tok-1"],
            registry.Requests);
    }

    [Fact]
    public async Task Bearer401_TokenRefused_IsUnauthorized()
    {
        var registry = new ScriptedRegistry(request => request.RequestUri!.Host == "auth.example"
            ? new HttpResponseMessage(HttpStatusCode.Unauthorized)
            : ScriptedRegistry.Challenge("Bearer", "realm=\"https://auth.example/token\""));

        var e = await Assert.ThrowsAsync<RegistryCheckException>(() => CheckAsync(registry, credentials: "podwake:wrong"));

        Assert.Equal(ImagePullFailure.Unauthorized, e.Failure);
        Assert.Contains("refused the credentials", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("MANIFEST_UNKNOWN", "registry.example:5000/team/app:v2: no such tag in the registry")]
    [InlineData("NAME_UNKNOWN", "registry.example:5000/team/app:v2: no such repository in the registry")]
    public async Task NotFound_IsNotFoundWithTheCodesWords(string code, string message)
    {
        var registry = new ScriptedRegistry(_ => new HttpResponseMessage(HttpStatusCode.NotFound)
        {
            Content = new StringContent($"{{\"errors\":[{{\"code\":\"{code}\",\"message\":\"x\"}}]}}"),
        });

        var e = await Assert.ThrowsAsync<RegistryCheckException>(() => CheckAsync(registry));

        Assert.Equal(ImagePullFailure.NotFound, e.Failure);
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public async Task ConnectionRefused_IsUnreachable()
    {
        var registry = new ScriptedRegistry(_ => throw ScriptedRegistry.Refused());

        var e = await Assert.ThrowsAsync<RegistryCheckException>(() => CheckAsync(registry));

        Assert.Equal(ImagePullFailure.Unreachable, e.Failure);
        Assert.Equal("registry registry.example:5000 is unreachable (connection refused)", e.Message);
    }

    [Fact]
    public async Task ServerError_IsOtherWithTheStatus()
    {
        var registry = new ScriptedRegistry(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));

        var e = await Assert.ThrowsAsync<RegistryCheckException>(() => CheckAsync(registry));

        Assert.Equal(ImagePullFailure.Other, e.Failure);
        Assert.Contains("503 Service Unavailable", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Insecure_TlsFails_FallsBackToPlainHttpAndRemembersIt()
    {
        var registry = new ScriptedRegistry(request => request.RequestUri!.Scheme == "https"
            ? throw TlsFailure()
            : ScriptedRegistry.Digest(DigestA));
        using var client = new RegistryClient(Access(insecure: true), TimeProvider.System, registry);

        Assert.Equal(DigestA, await client.GetDigestAsync(Image, CancellationToken.None));
        Assert.Equal(DigestA, await client.GetDigestAsync(Image, CancellationToken.None));
        Assert.Equal([$"HEAD {Manifest}", $"HEAD {Manifest.Replace("https:", "http:", StringComparison.Ordinal)}", $"HEAD {Manifest.Replace("https:", "http:", StringComparison.Ordinal)}"], registry.Requests);
    }

    [Fact]
    public async Task Secure_TlsFails_NeverTriesPlainHttp()
    {
        var registry = new ScriptedRegistry(_ => throw TlsFailure());

        var e = await Assert.ThrowsAsync<RegistryCheckException>(() => CheckAsync(registry));

        Assert.Equal(ImagePullFailure.Other, e.Failure);
        Assert.Contains("insecure = true in registries.conf", e.Message, StringComparison.Ordinal);
        Assert.Single(registry.Requests);
    }

    [Fact]
    public async Task NoAnswer_WithinTheCheckTimeout_IsUnreachable()
    {
        var time = new FakeTimeProvider();
        var registry = new ScriptedRegistry(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        using var client = new RegistryClient(Access(), time, registry);

        var check = client.GetDigestAsync(Image, CancellationToken.None);
        time.Advance(RegistryClient.CheckTimeout - TimeSpan.FromSeconds(1));
        Assert.False(check.IsCompleted);
        time.Advance(TimeSpan.FromSeconds(1));
        var e = await Assert.ThrowsAsync<RegistryCheckException>(() => check.WaitAsync(TimeSpan.FromSeconds(5))); // the fake clock's 20 s, not the wall clock's

        Assert.Equal(ImagePullFailure.Unreachable, e.Failure);
        Assert.Equal("registry registry.example:5000 is unreachable (no answer within 20 s)", e.Message);
    }

    [Fact]
    public async Task CallerCancels_IsCancellationNotACheckFailure()
    {
        var registry = new ScriptedRegistry(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            return new HttpResponseMessage(HttpStatusCode.OK);
        });
        using var client = new RegistryClient(Access(), new FakeTimeProvider(), registry);
        using var cts = new CancellationTokenSource();

        var check = client.GetDigestAsync(Image, cts.Token);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => check);
    }

    private static HttpRequestException TlsFailure() =>
        new(HttpRequestError.SecureConnectionError, "The SSL connection could not be established", new AuthenticationException("Cannot determine the frame size or a corrupted frame was received."));

    private async Task<string> CheckAsync(ScriptedRegistry registry, string reference = Image, string? credentials = null)
    {
        using var client = new RegistryClient(Access(credentials: credentials), TimeProvider.System, registry);
        return await client.GetDigestAsync(reference, CancellationToken.None);
    }

    private RegistryAccess Access(string? credentials = null, bool insecure = false)
    {
        var file = Path.Join(_temp.Path, "auth.json");
        if (credentials is not null)
        {
            File.WriteAllText(file, $"{{\"auths\": {{\"registry.example:5000\": {{\"auth\": \"{Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials))}\"}}}}}}");
        }

        var conf = new RegistriesConf(insecure ? [new RegistryConfEntry("registry.example:5000", "registry.example:5000", true, "test")] : []);
        return new RegistryAccess(AuthFiles.Load([file]), conf);
    }
}
