using System.Net.Http.Headers;
using Podwake.Updates;
using Xunit;

namespace Podwake.Tests.Updates;

public sealed class AuthChallengeTests
{
    [Fact]
    public void Parse_DockerHubBearer_ReadsRealmServiceAndScope()
    {
        var challenge = AuthChallenge.Parse(
            "Bearer", "realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/nginx:pull\"");

        Assert.True(challenge.IsBearer);
        Assert.Equal("https://auth.docker.io/token", challenge.Realm);
        Assert.Equal("registry.docker.io", challenge.Service);
        Assert.Equal("repository:library/nginx:pull", challenge.Scope);
    }

    [Fact]
    public void Parse_QuotedCommaAndEscapeAndUnquotedValue_AreKept()
    {
        var challenge = AuthChallenge.Parse("Bearer", "realm=\"https://a/t\", scope=\"repository:a:pull,push\", error=invalid_token, x=\"q\\\"q\"");

        Assert.Equal("repository:a:pull,push", challenge.Scope);
        Assert.Equal("invalid_token", challenge.Parameters["error"]);
        Assert.Equal("q\"q", challenge.Parameters["x"]);
    }

    [Fact]
    public void Parse_Basic_ReadsRealm()
    {
        var challenge = AuthChallenge.Parse("Basic", "realm=\"podwake-tests\"");

        Assert.True(challenge.IsBasic);
        Assert.False(challenge.IsBearer);
        Assert.Equal("podwake-tests", challenge.Realm);
    }

    [Fact]
    public void Choose_BasicAndBearer_PrefersBearer()
    {
        using var response = new HttpResponseMessage();
        response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Basic", "realm=\"r\""));
        response.Headers.WwwAuthenticate.Add(new AuthenticationHeaderValue("Bearer", "realm=\"https://t/token\""));

        Assert.Equal("Bearer", AuthChallenge.Choose(response.Headers.WwwAuthenticate)?.Scheme);
    }

    [Fact]
    public void Choose_NoHeader_IsNull()
    {
        using var response = new HttpResponseMessage();

        Assert.Null(AuthChallenge.Choose(response.Headers.WwwAuthenticate));
    }
}
