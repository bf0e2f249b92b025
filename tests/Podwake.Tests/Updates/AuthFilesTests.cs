using System.Text;
using Podwake.Updates;
using Xunit;

namespace Podwake.Tests.Updates;

/// <summary>Auth file discovery and lookup as containers/image's pkg/docker/config does them; temp dirs, env passed in.</summary>
public sealed class AuthFilesTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public void AuthFiles_NoOverride_RuntimeThenConfigThenDocker()
    {
        var paths = new RegistryAccessPaths("/home/u", "/run/user/1000", 1000);

        Assert.Equal(
            ["/run/user/1000/containers/auth.json", "/home/u/.config/containers/auth.json", "/home/u/.docker/config.json"],
            paths.AuthFiles());
    }

    [Fact]
    public void AuthFiles_RootWithoutRuntimeDirectory_UsesRunContainersUid() =>
        Assert.Equal("/run/containers/0/auth.json", new RegistryAccessPaths("/root", null, 0).AuthFiles()[0]);

    [Fact]
    public void AuthFiles_XdgConfigHomeAndDockerConfig_AreHonoured() =>
        Assert.Equal(
            ["/run/user/1/containers/auth.json", "/cfg/containers/auth.json", "/dock/config.json"],
            new RegistryAccessPaths("/home/u", "/run/user/1", 1, ConfigHome: "/cfg", DockerConfig: "/dock").AuthFiles());

    [Fact]
    public void AuthFiles_RegistryAuthFile_IsTheOnlyOne() =>
        Assert.Equal(["/tmp/a.json"], new RegistryAccessPaths("/home/u", "/run/user/1", 1, AuthFile: "/tmp/a.json").AuthFiles());

    [Fact]
    public void Find_HostPortKey_DecodesUserAndPassword()
    {
        var file = WriteAuths("a.json", ("127.0.0.1:5602", "podwake:s3cret:with-colon"));

        var found = AuthFiles.Load([file]).Find(ImageLocation.Parse("127.0.0.1:5602/app:1"));

        Assert.Equal(new RegistryCredentials("podwake", "s3cret:with-colon", file), found.Credentials);
    }

    [Fact]
    public void Find_NamespaceKeys_LongestWins()
    {
        var file = WriteAuths("a.json", ("quay.io", "all:1"), ("quay.io/team", "team:2"), ("quay.io/team/app", "app:3"), ("quay.io/other", "other:4"));
        var files = AuthFiles.Load([file]);

        Assert.Equal("app", files.Find(ImageLocation.Parse("quay.io/team/app:1")).Credentials?.User);
        Assert.Equal("team", files.Find(ImageLocation.Parse("quay.io/team/web:1")).Credentials?.User);
        Assert.Equal("all", files.Find(ImageLocation.Parse("quay.io/solo:1")).Credentials?.User);
    }

    [Theory]
    [InlineData("https://127.0.0.1:5602", "127.0.0.1:5602/app")]
    [InlineData("http://127.0.0.1:5602/v2/", "127.0.0.1:5602/app")]
    [InlineData("https://index.docker.io/v1/", "nginx")]
    public void Find_UrlKeys_AreNormalized(string key, string reference)
    {
        var file = WriteAuths("a.json", (key, "u:p"));

        Assert.Equal("u", AuthFiles.Load([file]).Find(ImageLocation.Parse(reference)).Credentials?.User);
    }

    [Fact]
    public void Find_FirstFileWithCredentials_Wins()
    {
        var runtime = WriteAuths("run.json", ("other.example", "x:y"));
        var config = WriteAuths("config.json", ("127.0.0.1:5602", "second:p"));
        var docker = WriteAuths("docker.json", ("127.0.0.1:5602", "third:p"));

        var found = AuthFiles.Load([Path.Join(_temp.Path, "missing.json"), runtime, config, docker]).Find(ImageLocation.Parse("127.0.0.1:5602/app"));

        Assert.Equal("second", found.Credentials?.User);
    }

    [Fact]
    public void Find_NoEntry_IsNoneAndListsTheSearchedFiles()
    {
        var file = WriteAuths("a.json", ("127.0.0.1:5603", "u:p"));
        var files = AuthFiles.Load([file, "/nonexistent/auth.json"]);

        Assert.Equal(AuthLookup.None, files.Find(ImageLocation.Parse("127.0.0.1:5602/app")));
        Assert.Equal([file, "/nonexistent/auth.json"], files.Searched);
    }

    [Fact]
    public void Find_CredHelper_IsUnsupportedAndNamed()
    {
        var file = _temp.Write("config.json", """{"auths": {}, "credHelpers": {"quay.io": "secretservice"}}""");

        var found = AuthFiles.Load([file]).Find(ImageLocation.Parse("quay.io/team/app"));

        Assert.Null(found.Credentials);
        Assert.Contains("credential helper \"secretservice\"", found.Unsupported, StringComparison.Ordinal);
    }

    [Fact]
    public void Find_CredsStoreWithoutEntry_IsUnsupportedAndNamed()
    {
        var file = _temp.Write("config.json", """{"auths": {"quay.io": {}}, "credsStore": "desktop"}""");

        var found = AuthFiles.Load([file]).Find(ImageLocation.Parse("quay.io/team/app"));

        Assert.Null(found.Credentials);
        Assert.Contains("credsStore", found.Unsupported, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidJson_NamesTheFile()
    {
        var file = _temp.Write("bad.json", "{\"auths\": ");

        var e = Assert.Throws<InvalidDataException>(() => AuthFiles.Load([file]));

        Assert.StartsWith(file, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ThroughRegistryAccess_ReadsTheRuntimeAuthFile()
    {
        var runtime = _temp.CreateDirectory("run/containers");
        File.WriteAllText(Path.Join(runtime, "auth.json"), Auths(("127.0.0.1:5602", "rt:p")));

        var access = RegistryAccess.Load(new RegistryAccessPaths(_temp.CreateDirectory("home"), Path.Join(_temp.Path, "run"), 1000, SystemConfig: _temp.CreateDirectory("etc")));

        Assert.Equal("rt", access.Credentials(ImageLocation.Parse("127.0.0.1:5602/app")).Credentials?.User);
    }

    private string WriteAuths(string name, params (string Key, string UserColonPassword)[] entries) => _temp.Write(name, Auths(entries));

    private static string Auths(params (string Key, string UserColonPassword)[] entries) =>
        "{\"auths\": {" + string.Join(", ", entries.Select(e =>
            $"\"{e.Key}\": {{\"auth\": \"{Convert.ToBase64String(Encoding.UTF8.GetBytes(e.UserColonPassword))}\"}}")) + "}}";
}
