using System.Net;
using Podwake.Specs;
using Xunit;

namespace Podwake.Tests.Specs;

/// <summary>Valid service files load into the expected records; files, streams and directories combine.</summary>
public sealed class SpecLoaderTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void HelloExample_LoadsWithPathsMadeAbsolute()
    {
        var example = RepositoryPaths.Combine("examples/hello");
        var file = Path.Join(example, "hello.yaml");

        var service = SpecFile.LoadOne(file);

        Assert.Equal("hello", service.Name);
        Assert.Equal("localhost/hello:1", service.Image);
        Assert.Equal(example, service.Build!.Context);
        Assert.Null(service.Build.Containerfile);
        Assert.Empty(service.Build.Args);
        Assert.Null(service.Command);
        Assert.Empty(service.Env);
        var volume = Assert.Single(service.Volumes);
        Assert.Equal(Path.Join(example, "www"), volume.Source);
        Assert.Equal("/www", volume.Target);
        Assert.Equal(["ro"], volume.Options);
        Assert.True(volume.IsBindMount);
        var port = Assert.Single(service.Ports);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8080), port.Listen);
        Assert.Equal(8080, port.ContainerPort);
        Assert.Equal(Protocol.Tcp, port.Protocol);
        Assert.Equal(new SourceLocation(file, 8, 13), port.Location);
        Assert.Equal(TimeSpan.FromSeconds(30), service.Idle);
        Assert.Equal(new ReadySpec { Kind = ReadyKind.Tcp, Port = 8080, Timeout = TimeSpan.FromSeconds(30) }, service.Ready);
        Assert.Equal(RestartPolicy.OnFailure, service.Restart);
        Assert.Equal(UpdatePolicy.None, service.Update);
        Assert.Null(service.User);
        Assert.Empty(service.Expose);
        Assert.Null(service.Pod);
        Assert.Equal(ServiceSpec.DefaultHold, service.Hold);
        Assert.Equal(new SourceLocation(file, 3, 1), service.Location);
        Assert.Equal("podwake-hello", service.ContainerName);
    }

    [Fact]
    public void MinimalFile_GetsTheDefaults()
    {
        var file = _dir.Write("web.yaml", """
            name: web
            image: docker.io/library/nginx:1.27
            ports:
              - listen: 8080
                container: 80
            """);

        var service = SpecFile.LoadOne(file);

        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8080), service.Ports[0].Listen);
        Assert.Equal(ServiceSpec.DefaultIdle, service.Idle);
        Assert.Equal(new ReadySpec { Kind = ReadyKind.Tcp, Port = 80 }, service.Ready);
        Assert.Equal(RestartPolicy.OnFailure, service.Restart);
        Assert.Equal(UpdatePolicy.None, service.Update);
        Assert.Equal(512, service.Hold);
        Assert.Null(service.Build);
        Assert.Empty(service.Volumes);
    }

    [Fact]
    public void EveryImplementedKey_LoadsAsWritten()
    {
        _dir.Write("app/Containerfile.web", "FROM scratch\n");
        var file = _dir.Write("web.yaml", """
            name: web-2
            image: registry.example.com:5000/team/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef
            build:
              context: ./app
              containerfile: app/Containerfile.web
              args: { VERSION: 1.2, DEBUG: false }
            command: [/bin/sh, -c, "exec httpd -f -p 8080", 8080]
            env:
              GREETING: hello
              COUNT: 3
              VERBOSE: true
              EMPTY: ""
            volumes: ["./data:/var/lib/data:rw,Z", "cache:/cache", "/srv/static:/static/:ro"]
            ports:
              - listen: "[::1]:8443"
                container: 8443
              - listen: 0.0.0.0:8080
                container: 8080
                protocol: tcp
            idle: 1m30s
            ready:
              http: /healthz
              port: 8080
              timeout: 500ms
            restart: always
            update: none
            hold: 64
            """);

        var service = SpecFile.LoadOne(file);

        Assert.Equal("web-2", service.Name);
        Assert.Equal(Path.Join(_dir.Path, "app"), service.Build!.Context);
        Assert.Equal(Path.Join(_dir.Path, "app/Containerfile.web"), service.Build.Containerfile);
        Assert.Equal(new Dictionary<string, string> { ["VERSION"] = "1.2", ["DEBUG"] = "false" }, service.Build.Args);
        Assert.Equal(["/bin/sh", "-c", "exec httpd -f -p 8080", "8080"], service.Command!);
        Assert.Equal(
            new Dictionary<string, string> { ["GREETING"] = "hello", ["COUNT"] = "3", ["VERBOSE"] = "true", ["EMPTY"] = "" },
            service.Env);
        Assert.Equal(
            [
                new VolumeSpec { Source = Path.Join(_dir.Path, "data"), Target = "/var/lib/data" },
                new VolumeSpec { Source = "cache", Target = "/cache" },
                new VolumeSpec { Source = "/srv/static", Target = "/static" },
            ],
            service.Volumes.Select(v => v with { Options = [] }));
        Assert.Equal(["rw", "Z"], service.Volumes[0].Options);
        Assert.False(service.Volumes[1].IsBindMount);
        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 8443), service.Ports[0].Listen);
        Assert.Equal(new IPEndPoint(IPAddress.Any, 8080), service.Ports[1].Listen);
        Assert.Equal(TimeSpan.FromSeconds(90), service.Idle);
        Assert.Equal(
            new ReadySpec { Kind = ReadyKind.Http, HttpPath = "/healthz", Port = 8080, Timeout = TimeSpan.FromMilliseconds(500) },
            service.Ready);
        Assert.Equal(RestartPolicy.Always, service.Restart);
        Assert.Equal(64, service.Hold);
    }

    [Fact]
    public void IdleNever_LoadsAsNull()
    {
        var file = _dir.Write("web.yaml", """
            name: web
            image: web
            ports: [{listen: 8080, container: 80}]
            idle: never
            restart: "no"
            """);

        var service = SpecFile.LoadOne(file);

        Assert.Null(service.Idle);
        Assert.Equal(RestartPolicy.No, service.Restart);
    }

    [Fact]
    public void ReadyHttpWithoutPort_ProbesTheFirstTcpContainerPort()
    {
        var file = _dir.Write("web.yaml", """
            name: web
            image: web
            ports:
              - {listen: 9000, container: 9000}
              - {listen: 9001, container: 9001}
            ready: {http: /}
            """);

        Assert.Equal(new ReadySpec { Kind = ReadyKind.Http, HttpPath = "/", Port = 9000 }, SpecFile.LoadOne(file).Ready);
    }

    [Fact]
    public void ReadyExecWithTimeout_KeepsTheCommand()
    {
        var file = _dir.Write("db.yaml", """
            name: db
            image: docker.io/library/postgres:17
            ports: [{listen: 5432, container: 5432}]
            ready:
              exec: [pg_isready, -q]
              timeout: 2h
            """);

        var ready = SpecFile.LoadOne(file).Ready;

        Assert.Equal(ReadyKind.Exec, ready.Kind);
        Assert.Equal(["pg_isready", "-q"], ready.Exec!);
        Assert.Equal(TimeSpan.FromHours(2), ready.Timeout);
    }

    [Fact]
    public void ReadyWithOnlyATimeout_KeepsTheDefaultProbe()
    {
        var file = _dir.Write("web.yaml", """
            name: web
            image: web
            ports: [{listen: 8080, container: 80}]
            ready: {timeout: 2m}
            """);

        Assert.Equal(new ReadySpec { Kind = ReadyKind.Tcp, Port = 80, Timeout = TimeSpan.FromMinutes(2) }, SpecFile.LoadOne(file).Ready);
    }

    [Fact]
    public void MultiDocumentStream_LoadsOneServicePerDocument()
    {
        var file = _dir.Write("all.yaml", """
            # two services in one stream
            name: one
            image: one
            ports: [{listen: 8001, container: 80}]
            ---
            name: two
            image: two
            ports: [{listen: 8002, container: 80}]
            ---
            """);

        var result = SpecLoader.Load([file]);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(["one", "two"], result.Services.Select(s => s.Name));
        Assert.Equal(new SourceLocation(file, 2, 1), result.Services[0].Location);
        Assert.Equal(new SourceLocation(file, 6, 1), result.Services[1].Location);
    }

    [Fact]
    public void Directory_LoadsEveryYamlFileInNameOrder()
    {
        _dir.Write("svc/b.yml", "name: b\nimage: b\nports: [{listen: 8002, container: 80}]\n");
        _dir.Write("svc/a.yaml", "name: a\nimage: a\nports: [{listen: 8001, container: 80}]\n");
        _dir.Write("svc/notes.txt", "not a service");
        _dir.Write("svc/nested/c.yaml", "name: c\n");

        var result = SpecLoader.Load([Path.Join(_dir.Path, "svc")]);

        Assert.Empty(result.Diagnostics);
        Assert.Equal(["a", "b"], result.Services.Select(s => s.Name));
        Assert.Equal(Path.Join(_dir.Path, "svc", "a.yaml"), result.Services[0].Location.File);
    }

    [Fact]
    public void SameFileTwice_LoadsItOnce()
    {
        var file = _dir.Write("svc/a.yaml", "name: a\nimage: a\nports: [{listen: 8001, container: 80}]\n");

        SpecFile.LoadOne(Path.Join(_dir.Path, "svc"), file);
    }

    [Fact]
    public void SamePortOnDifferentAddressesOrProtocols_DoesNotCollide()
    {
        var file = _dir.Write("web.yaml", """
            name: web
            image: web
            ports:
              - {listen: 127.0.0.1:8080, container: 80}
              - {listen: 127.0.0.2:8080, container: 80}
              - {listen: "[::1]:8080", container: 80}
            """);

        Assert.Equal(3, SpecFile.LoadOne(file).Ports.Count);
    }

    [Fact]
    public void RelativePath_StaysRelativeInMessages()
    {
        var file = _dir.Write("bad.yaml", "name: x\nimage: x\nports: [{listen: 8080, container: 80}]\nidle: 5\n");
        var relative = Path.GetRelativePath(Environment.CurrentDirectory, file);

        Assert.Equal([$"{relative}:4:7: error: idle: \"5\" has no unit; add one of ms, s, m or h (e.g. 5s)"], SpecFile.ErrorsIn(relative));
    }
}
