using Podwake.Specs;
using Xunit;

namespace Podwake.Tests.Specs;

/// <summary><c>listen: /run/NAME.sock</c> and <c>@NAME</c>: parsed, checked with FILE:LINE:COL and the fix, and written back.</summary>
public sealed class UnixListenSpecTests : IDisposable
{
    private readonly SpecFile _spec = new();

    public void Dispose() => _spec.Dispose();

    [Fact]
    public void PathWithModeAndOwner_IsAUnixListener()
    {
        var spec = _spec.Load("""
            name: web
            image: web
            ports:
              - listen: /run/user/1000/web.sock
                container: 80
                mode: "0660"
                owner: web:www-data
              - listen: 8080
                container: 80
            """);

        var unix = Assert.IsType<UnixListen>(spec.Ports[0].Unix);
        Assert.Null(spec.Ports[0].Listen);
        Assert.Equal(("/run/user/1000/web.sock", 0x1B0, "web", "www-data"), (unix.Path, unix.Mode, unix.User, unix.Group));
        Assert.Equal("/run/user/1000/web.sock", spec.Ports[0].ListenDisplay);
        Assert.Equal(Protocol.Tcp, spec.Ports[0].Protocol);
        Assert.Null(spec.Ports[1].Unix);
    }

    [Fact]
    public void PathWithoutMode_Is0666AsSystemdsDefault()
    {
        var spec = _spec.Load("name: web\nimage: web\nports: [{listen: /run/web.sock, container: 80}]\n");

        Assert.Equal("0666", spec.Ports[0].Unix!.ModeText);
        Assert.Null(spec.Ports[0].Unix!.OwnerText);
    }

    [Fact]
    public void AbstractName_IsAUnixListenerWithoutFile()
    {
        var spec = _spec.Load("name: web\nimage: web\nports: [{listen: \"@podwake-web\", container: 80}]\n");

        Assert.True(spec.Ports[0].Unix!.IsAbstract);
        Assert.Equal("@podwake-web", spec.Ports[0].ListenDisplay);
    }

    [Theory]
    [InlineData("web.sock", "\"web.sock\" is a relative path; a unix socket listener needs an absolute one")]
    [InlineData("./run/web.sock", "\"./run/web.sock\" is a relative path")]
    [InlineData("run/web.sock", "\"run/web.sock\" is a relative path")]
    [InlineData("/run/", "\"/run/\" ends with '/', a folder; name the socket file in it, e.g. /run/web.sock")]
    [InlineData("/run/../web.sock", "has a \".\" or \"..\" component")]
    [InlineData("/run//web.sock", "has an empty component")]
    [InlineData("@", "\"@\" names no abstract socket")]
    public void BadPath_SaysWhatToWrite(string path, string message)
    {
        var errors = _spec.Errors($"name: web\nimage: web\nports:\n  - listen: \"{path}\"\n    container: 80\n");

        var error = Assert.Single(errors);
        Assert.StartsWith($"{_spec.Path}:4:13: error: ports[0].listen: ", error, StringComparison.Ordinal);
        Assert.Contains(message, error, StringComparison.Ordinal);
    }

    [Fact]
    public void PathLongerThanSunPath_GivesTheLimit()
    {
        var path = "/run/" + new string('a', 98) + ".sock"; // 108 bytes
        var errors = _spec.Errors($"name: web\nimage: web\nports:\n  - listen: {path}\n    container: 80\n");

        Assert.Equal([$"{_spec.Path}:4:13: error: ports[0].listen: \"{path}\" is 108 bytes long; a unix socket address holds at most 107 (sun_path, unix(7)): choose a shorter path, e.g. /run/NAME.sock"], errors);
    }

    [Fact]
    public void PathOf107Bytes_IsFine()
    {
        var path = "/run/" + new string('a', 97) + ".sock";

        Assert.Equal(path, _spec.Load($"name: web\nimage: web\nports: [{{listen: {path}, container: 80}}]\n").Ports[0].Unix!.Path);
    }

    [Fact]
    public void UdpOnAPath_IsRefusedAsOutOfScope()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports:
              - listen: /run/dns.sock
                container: 53
                protocol: udp
            """);

        Assert.Equal([$"{_spec.Path}:6:15: error: ports[0].protocol: udp cannot listen on the unix socket /run/dns.sock; podwake's unix listeners are stream sockets (unix datagram sockets are not supported): remove protocol: udp, or listen on an IP address for udp"], errors);
    }

    [Fact]
    public void SamePathTwice_IsAnErrorAtTheSecond()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports:
              - {listen: /run/web.sock, container: 80}
              - {listen: /run/web.sock, container: 81}
            """);

        Assert.Equal([$"{_spec.Path}:5:14: error: ports[1].listen: /run/web.sock is already used by ports[0].listen at {_spec.Path}:4:14; give each unix socket listener a path of its own"], errors);
    }

    [Fact]
    public void SamePathInTwoFiles_IsAnError()
    {
        var a = _spec.Directory.Write("a.yaml", "name: a\nimage: web\nports: [{listen: /run/x.sock, container: 80}]\n");
        var b = _spec.Directory.Write("b.yaml", "name: b\nimage: web\nports: [{listen: /run/x.sock, container: 80}]\n");

        var error = Assert.Single(SpecFile.ErrorsIn(a, b));
        Assert.StartsWith($"{b}:3:18: error: ports[0].listen: /run/x.sock is already used by service \"a\"", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"0669\"")]
    [InlineData("rw-rw----")]
    [InlineData("\"01777\"")]
    [InlineData("\"66\"")]
    public void ModeNotOctal_GivesAnExample(string mode)
    {
        var errors = _spec.Errors($"name: web\nimage: web\nports:\n  - listen: /run/web.sock\n    container: 80\n    mode: {mode}\n");

        var error = Assert.Single(errors);
        Assert.StartsWith($"{_spec.Path}:6:11: error: ports[0].mode: ", error, StringComparison.Ordinal);
        Assert.Contains("is not an octal permission mode; write it as SocketMode= does, quoted, e.g. mode: \"0660\"", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("660", 0x1B0)]
    [InlineData("\"0600\"", 0x180)]
    [InlineData("0777", 0x1FF)]
    public void ModeWithOrWithoutLeadingZero_IsOctal(string mode, int value)
    {
        var spec = _spec.Load($"name: web\nimage: web\nports:\n  - listen: /run/web.sock\n    container: 80\n    mode: {mode}\n");

        Assert.Equal(value, spec.Ports[0].Unix!.Mode);
    }

    [Theory]
    [InlineData("Web")]
    [InlineData("web:")]
    [InlineData(":")]
    [InlineData("a b")]
    public void BadOwner_IsAnError(string owner)
    {
        var errors = _spec.Errors($"name: web\nimage: web\nports:\n  - listen: /run/web.sock\n    container: 80\n    owner: \"{owner}\"\n");

        Assert.Equal([$"{_spec.Path}:6:12: error: ports[0].owner: \"{owner}\" is not USER, USER:GROUP or :GROUP; use account names (up to 32 lowercase letters, digits, '_' and '-', starting with a letter or '_') or numeric ids, e.g. owner: www-data:www-data"], errors);
    }

    [Fact]
    public void GroupAlone_IsAnOwner()
    {
        var unix = _spec.Load("name: web\nimage: web\nports: [{listen: /run/web.sock, container: 80, owner: \":www-data\"}]\n").Ports[0].Unix!;

        Assert.Equal((null, "www-data", ":www-data"), (unix.User, unix.Group, unix.OwnerText));
    }

    [Fact]
    public void ModeAndOwnerOnAnIpAddress_AreErrors()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports:
              - listen: 8080
                container: 80
                mode: "0660"
                owner: web
            """);

        Assert.Equal(
            [
                $"{_spec.Path}:6:5: error: ports[0].mode: applies only to a unix socket listener (listen: /run/NAME.sock), whose file it sets; an IP address has no file: remove mode:",
                $"{_spec.Path}:7:5: error: ports[0].owner: applies only to a unix socket listener (listen: /run/NAME.sock), whose file it sets; an IP address has no file: remove owner:",
            ],
            errors);
    }

    [Fact]
    public void ModeOnAnAbstractName_IsAnError()
    {
        var errors = _spec.Errors("name: web\nimage: web\nports:\n  - listen: \"@web\"\n    container: 80\n    mode: \"0600\"\n");

        Assert.Equal([$"{_spec.Path}:6:5: error: ports[0].mode: @web is an abstract socket, which has no file and so no permissions (any process in this network namespace can connect); remove mode:, or listen on a path such as /run/web.sock"], errors);
    }

    [Fact]
    public void TwoSocketFilesWithDifferentModes_AreAnError()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            ports:
              - {listen: /run/a.sock, container: 80, mode: "0660"}
              - {listen: /run/b.sock, container: 81}
            """);

        var error = Assert.Single(errors);
        Assert.StartsWith($"{_spec.Path}:5:14: error: ports: /run/b.sock has mode 0666, owner (none) but /run/a.sock at {_spec.Path}:4:14 has mode 0660", error, StringComparison.Ordinal);
        Assert.EndsWith("give every unix socket listener of a service the same mode: and owner:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void ExposeOfAPath_IsAnError()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            user: web
            ports: [{listen: 8080, container: 80}]
            expose: [{listen: /run/web.sock, to: 8080}]
            """);

        Assert.Equal([$"{_spec.Path}:5:19: error: expose[0].listen: /run/web.sock is a unix socket; expose: forwards outside IP addresses to a port of this service: write an address like 0.0.0.0:80 (a unix socket listener belongs in ports:, where it is served directly)"], errors);
    }

    [Fact]
    public void ExposeToAServiceOfUnixSocketsOnly_SaysExposeCannotForwardThere()
    {
        var errors = _spec.Errors("""
            name: web
            image: web
            user: web
            ports: [{listen: /run/web.sock, container: 80}]
            expose: [{listen: 0.0.0.0:80, to: 80}]
            """);

        Assert.Equal([$"{_spec.Path}:5:35: error: expose[0].to: 80 is not a listen port of this service; this service listens only on unix sockets (/run/web.sock), which expose: cannot forward to; add a port with an IP address"], errors);
    }

    [Fact]
    public void SpecCopy_RoundTripsPathModeAndOwner()
    {
        var original = _spec.Load("""
            name: web
            image: localhost/web:1
            ports:
              - {listen: /run/web.sock, container: 80, mode: "0640", owner: "root:adm"}
              - {listen: "@web", container: 81}
            """);

        var copy = SpecFile.LoadOne(_spec.Directory.Write("copy/web.yaml", SpecWriter.Write(original)));

        Assert.Equal(original.Ports.Select(p => p.Unix), copy.Ports.Select(p => p.Unix));
    }
}
