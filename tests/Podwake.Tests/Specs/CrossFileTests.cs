using Podwake.Specs;
using Xunit;

namespace Podwake.Tests.Specs;

/// <summary>Names and listen addresses must be unique across every file loaded together.</summary>
public sealed class CrossFileTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void SameNameInTwoFiles_ReportsTheSecondWithTheFirst()
    {
        var a = _dir.Write("a.yaml", "name: web\nimage: web\nports: [{listen: 8080, container: 80}]\n");
        var b = _dir.Write("b.yaml", "name: web\nimage: web\nports: [{listen: 8081, container: 80}]\n");

        var result = SpecLoader.Load([a, b]);

        Assert.Equal(
            [$"{b}:1:7: error: name: \"web\" is already used by the service at {a}:1:7; give each service a unique name"],
            result.Diagnostics.Select(d => d.ToString()));
        Assert.Equal([a], result.Services.Select(s => s.Location.File));
    }

    [Fact]
    public void SameListenAddressInTwoFiles_NamesTheOtherService()
    {
        var a = _dir.Write("a.yaml", "name: one\nimage: one\nports: [{listen: 127.0.0.1:8080, container: 80}]\n");
        var b = _dir.Write("b.yaml", """
            name: two
            image: two
            ports:
              - listen: 9000
                container: 80
              - listen: 8080
                container: 81
            """);

        var errors = SpecFile.ErrorsIn(a, b);

        Assert.Equal(
            [$"{b}:6:13: error: ports[1].listen: 127.0.0.1:8080/tcp is already used by service \"one\" at {a}:3:18; use another port or address"],
            errors);
    }

    [Fact]
    public void WildcardInOneFileAndLoopbackInAnother_Collide()
    {
        var dir = _dir.CreateDirectory("services");
        _dir.Write("services/a.yaml", "name: one\nimage: one\nports: [{listen: 0.0.0.0:8080, container: 80}]\n");
        _dir.Write("services/b.yaml", "name: two\nimage: two\nports: [{listen: 8080, container: 80}]\n");

        var errors = SpecFile.ErrorsIn(dir);

        Assert.Equal(
            [$"{dir}/b.yaml:3:18: error: ports[0].listen: 127.0.0.1:8080/tcp collides with 0.0.0.0:8080/tcp of service \"one\" at {dir}/a.yaml:3:18; both cannot be bound at once: use another port"],
            errors);
    }

    [Fact]
    public void SameListenAddressInOneStream_IsReported()
    {
        var file = _dir.Write("all.yaml", """
            name: one
            image: one
            ports: [{listen: 8080, container: 80}]
            ---
            name: two
            image: two
            ports: [{listen: 8080, container: 80}]
            """);

        var result = SpecLoader.Load([file]);

        Assert.Equal(
            [$"{file}:7:18: error: ports[0].listen: 127.0.0.1:8080/tcp is already used by service \"one\" at {file}:3:18; use another port or address"],
            result.Diagnostics.Select(d => d.ToString()));
        Assert.Equal(["one"], result.Services.Select(s => s.Name));
    }

    [Fact]
    public void ErrorsInSeveralFiles_AreReportedFileByFileInTheOrderGiven()
    {
        var b = _dir.Write("b.yaml", "name: b\nimage: b\nports: [{listen: 8001, container: 80}]\nidle: 1\n");
        var a = _dir.Write("a.yaml", "name: a\nimage: a\nports: [{listen: 8002, container: 80}]\nrestart: never\n");

        var result = SpecLoader.Load([b, "missing.yaml", a]);

        Assert.Equal(
            [
                $"{b}:4:7: error: idle: \"1\" has no unit; add one of ms, s, m or h (e.g. 1s)",
                "missing.yaml: error: no such file or directory",
                $"{a}:4:10: error: restart: \"never\" is not a restart policy; use no, on-failure or always",
            ],
            result.Diagnostics.Select(d => d.ToString()));
        Assert.Empty(result.Services);
    }

    [Fact]
    public void DirectoryWithoutServiceFiles_IsAnError()
    {
        var dir = _dir.CreateDirectory("empty");

        Assert.Equal([$"{dir}: error: no *.yaml or *.yml file in this directory"], SpecFile.ErrorsIn(dir));
    }

    [Fact]
    public void SyntaxErrorInOneFile_DoesNotHideProblemsInAnother()
    {
        var bad = _dir.Write("bad.yaml", "name: [\n");
        var good = _dir.Write("good.yaml", "name: good\nimage: good\nports: [{listen: 8080, container: 80}]\n");

        var result = SpecLoader.Load([bad, good]);

        Assert.Equal(
            [$"{bad}:2:1: error: invalid YAML: while parsing a node, did not find expected node content"],
            result.Diagnostics.Select(d => d.ToString()));
        Assert.Equal(["good"], result.Services.Select(s => s.Name));
    }
}
