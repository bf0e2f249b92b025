using Podwake.Updates;
using Xunit;

namespace Podwake.Tests.Updates;

/// <summary>registries.conf's [[registry]] subset, and which files count (containers-registries.conf(5)).</summary>
public sealed class RegistriesConfTests : IDisposable
{
    private readonly TempDirectory _temp = new();

    public void Dispose() => _temp.Dispose();

    private RegistryAccessPaths Paths => new(Path.Join(_temp.Path, "home"), null, 1000, SystemConfig: Path.Join(_temp.Path, "etc"));

    [Fact]
    public void Parse_RegistryTables_ReadsLocationPrefixInsecureAndSkipsTheRest()
    {
        var entries = RegistriesConf.Parse("r.conf", """
            # the registries of a test host
            unqualified-search-registries = ["docker.io", "quay.io"]
            insecure = true   # a top-level key: not a registry's

            [[registry]]
            location = "127.0.0.1:5601" # plain HTTP
            insecure = true

            [[registry]]
            prefix = 'example.com/team'
            location = "mirror.example.com/team"
            blocked = false
            [[registry.mirror]]
            location = "other.example.com"
            insecure = true

            [aliases]
            "hello" = "quay.io/podman/hello"
            """);

        Assert.Equal(
            [
                new RegistryConfEntry("127.0.0.1:5601", "127.0.0.1:5601", true, "r.conf:5"),
                new RegistryConfEntry("example.com/team", "mirror.example.com/team", false, "r.conf:9"),
            ],
            entries);
    }

    [Fact]
    public void Parse_HashInsideAString_IsNotAComment() =>
        Assert.Equal("a#b.example", RegistriesConf.Parse("r.conf", "[[registry]]\nlocation = \"a#b.example\" # c\n")[0].Location);

    [Fact]
    public void Parse_InsecureNotABoolean_NamesFileAndLine()
    {
        var e = Assert.Throws<InvalidDataException>(() => RegistriesConf.Parse("r.conf", "[[registry]]\nlocation = \"x\"\ninsecure = yes\n"));

        Assert.StartsWith("r.conf:3:", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_SystemFileAndDropIns_LaterDropInOverridesTheSamePrefix()
    {
        _temp.Write("etc/registries.conf", "[[registry]]\nlocation = \"a.example\"\ninsecure = true\n");
        _temp.Write("etc/registries.conf.d/20-b.conf", "[[registry]]\nlocation = \"a.example\"\ninsecure = false\n");
        _temp.Write("etc/registries.conf.d/10-a.conf", "[[registry]]\nlocation = \"b.example\"\ninsecure = true\n");
        _temp.Write("etc/registries.conf.d/README", "[[registry]]\nlocation = \"c.example\"\ninsecure = true\n");
        _temp.Write("home/.config/containers/registries.conf.d/x.conf", "[[registry]]\nlocation = \"d.example\"\ninsecure = true\n");

        var conf = RegistriesConf.Load(Paths);

        Assert.False(conf.IsInsecure("a.example/app"));
        Assert.True(conf.IsInsecure("b.example/app"));
        Assert.False(conf.IsInsecure("c.example/app"));
        Assert.True(conf.IsInsecure("d.example/app"));
    }

    [Fact]
    public void Load_UserFile_ReplacesTheSystemFileAndItsDropIns()
    {
        _temp.Write("etc/registries.conf", "[[registry]]\nlocation = \"a.example\"\ninsecure = true\n");
        _temp.Write("etc/registries.conf.d/10.conf", "[[registry]]\nlocation = \"b.example\"\ninsecure = true\n");
        _temp.Write("home/.config/containers/registries.conf", "[[registry]]\nlocation = \"u.example\"\ninsecure = true\n");

        var conf = RegistriesConf.Load(Paths);

        Assert.Equal(["u.example"], conf.Entries.Select(e => e.Location));
        Assert.False(conf.IsInsecure("a.example/app"));
        Assert.False(conf.IsInsecure("b.example/app"));
    }

    [Theory]
    [InlineData("example.com/team/app", true)]
    [InlineData("example.com/teamx/app", false)]
    [InlineData("example.com/app", false)]
    [InlineData("reg.wild.example/app", true)]
    [InlineData("127.0.0.1:5601/app", true)]
    [InlineData("127.0.0.1:56011/app", false)]
    public void IsInsecure_MatchesPrefixAtAPathBoundary(string name, bool insecure)
    {
        var conf = new RegistriesConf(
        [
            new RegistryConfEntry("example.com/team", "example.com/team", true, "t"),
            new RegistryConfEntry("example.com", "example.com", false, "t"),
            new RegistryConfEntry("*.wild.example", "*.wild.example", true, "t"),
            new RegistryConfEntry("127.0.0.1:5601", "127.0.0.1:5601", true, "t"),
        ]);

        Assert.Equal(insecure, conf.IsInsecure(name));
    }
}
