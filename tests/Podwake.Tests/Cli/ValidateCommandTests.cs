using System.CommandLine;
using Podwake.Cli;
using Xunit;

namespace Podwake.Tests.Cli;

public sealed class ValidateCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void HelloExample_PrintsOkAndExitsZero()
    {
        var (exitCode, output, error) = Run("validate", RepositoryPaths.Combine("examples/hello"));

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal("hello: ok (1 port: 127.0.0.1:8080/tcp -> 8080)\n", output);
        Assert.Equal("", error);
    }

    [Fact]
    public void SeveralPorts_AreListedOnOneLine()
    {
        var file = _dir.Write("web.yaml", """
            name: web
            image: web
            ports:
              - {listen: 8080, container: 80}
              - {listen: "[::]:8443", container: 443}
            """);

        var (exitCode, output, _) = Run("validate", file);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal("web: ok (2 ports: 127.0.0.1:8080/tcp -> 80, [::]:8443/tcp -> 443)\n", output);
    }

    [Fact]
    public void SidecarService_PrintsItsWrapperAndKey()
    {
        var file = _dir.Write("dnsmasq.yaml", """
            name: dnsmasq
            image: localhost/agent-tools:1
            sidecar: {wrapper: /var/lib/neutron/dnsmasq-wrapper, command: [/usr/sbin/dnsmasq, -k], key: env:NETWORK_ID}
            """);

        var (exitCode, output, _) = Run("validate", file);

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal("dnsmasq: ok (sidecar: /var/lib/neutron/dnsmasq-wrapper, key env:NETWORK_ID)\n", output);
    }

    [Fact]
    public void MissingPath_PrintsNoSuchFileAndExitsOne()
    {
        var (exitCode, output, error) = Run("validate", "does-not-exist.yaml");

        Assert.Equal(ExitCodes.UserError, exitCode);
        Assert.Equal("", output);
        Assert.Equal("does-not-exist.yaml: error: no such file or directory\n", error);
    }

    [Fact]
    public void BadFile_PrintsEveryErrorToStderrAndNothingToStdout()
    {
        var good = _dir.Write("good.yaml", "name: good\nimage: good\nports: [{listen: 8081, container: 80}]\n");
        var bad = _dir.Write("bad.yaml", "name: bad\nimage: bad\nports: [{listen: 8080, container: 0}]\nidle: 3\n");

        var (exitCode, output, error) = Run("validate", good, bad);

        Assert.Equal(ExitCodes.UserError, exitCode);
        Assert.Equal("", output);
        Assert.Equal(
            $"{bad}:3:35: error: ports[0].container: 0 is out of range; use a port number from 1 to 65535\n"
            + $"{bad}:4:7: error: idle: \"3\" has no unit; add one of ms, s, m or h (e.g. 3s)\n",
            error);
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var exitCode = PodwakeCommand.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
