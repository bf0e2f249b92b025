using System.CommandLine;
using Podwake.Cli;
using Podwake.Deploy;
using Podwake.Host;
using Podwake.Units;
using Xunit;

namespace Podwake.Tests.Units;

public sealed class GenerateCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task HelloExample_PrintsTheUnitsDeployWouldInstallHereUnderHeaders()
    {
        var (exitCode, output, error) = Run("generate", RepositoryPaths.Combine("examples/hello"));

        // What deploy would install depends on the host (rootful on CNI: a network unit too), worked out by its planner;
        // the hello golden files are those units without it, running /usr/local/bin/podwake.
        var (spec, _) = UnitGeneratorGoldenTests.Load("hello");
        var planner = new DeployPlanner(new DeployOptions { PodwakePath = PodwakeBinary.Path }, await UnixUser.CurrentAsync());
        var host = Assert.Single(await planner.GeneratorOptionsAsync([spec]));
        var expected = string.Join("\n", UnitGenerator.Generate(spec, host).Select(u => $"# {u.Name}\n{UnitGeneratorGoldenTests.Render(u)}"));
        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal("", error);
        Assert.Equal(expected, output.Replace(RepositoryPaths.Root, "@REPO@", StringComparison.Ordinal));
        if (!host.NetworkNamespace && !host.Rootless)
        {
            var golden = RepositoryPaths.Combine("tests/Podwake.Tests/Units/testdata/hello");
            Assert.Equal(
                string.Join("\n", new[] { "podwake-hello.socket", "podwake-hello.service", "podwake-hello-container.service" }
                    .Select(name => $"# {name}\n{UnitGeneratorGoldenTests.StripAssertions(File.ReadAllText(Path.Join(golden, name)))}")),
                output.Replace(RepositoryPaths.Root, "@REPO@", StringComparison.Ordinal)
                    .Replace(PodwakeBinary.Path, UnitGeneratorOptions.DefaultPodwakePath, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void CreateCommand_NetworkNamespace_JoinsTheServicesKeptNamespace()
    {
        var (spec, options) = UnitGeneratorGoldenTests.Load("network-namespace");

        var words = UnitGenerator.CreateCommand(spec, options, "/run/user/0");

        Assert.Equal("ns:/run/netns/podwake-netns", words[words.IndexOf("--network") + 1]);
        Assert.DoesNotContain("-p", words);
        Assert.DoesNotContain("--network", UnitGenerator.CreateCommand(spec, options with { NetworkNamespace = false }, "/run/user/0"));
    }

    [Fact]
    public void BadFile_PrintsDiagnosticsAndNoUnits()
    {
        var bad = _dir.Write("bad.yaml", "name: bad\nimage: bad\nports: [{listen: 8080, container: 0}]\n");

        var (exitCode, output, error) = Run("generate", bad);

        Assert.Equal(ExitCodes.UserError, exitCode);
        Assert.Equal("", output);
        Assert.Equal($"{bad}:3:35: error: ports[0].container: 0 is out of range; use a port number from 1 to 65535\n", error);
    }

    [Fact]
    public void CreateCommand_HostileValues_ReachPodmanAsSingleArgumentsByteForByte()
    {
        var (spec, options) = UnitGeneratorGoldenTests.Load("hostile");

        var words = UnitGenerator.CreateCommand(spec, options, "/run/user/1000");

        Assert.Contains("GREETING=hello, \"world\" $USER ${HOME} 100% \\n; rm -rf /", words);
        Assert.Contains("MULTI=first\nsecond", words);
        Assert.Contains("EMPTY=", words);
        Assert.Contains("/srv/my data/100%:/data:ro", words);
        Assert.Equal(
            ["localhost/hostile:1", "/bin/sh", "-c", "echo \"$GREETING\" 100% done; exit 0", "back\\slash", "line\nbreak", "%n", "${HOME}", ";"],
            words[^9..]);
    }

    [Fact]
    public void CreateCommand_Rootless_PublishesEachContainerPortOnLoopback_RootfulPublishesNone()
    {
        var (spec, options) = UnitGeneratorGoldenTests.Load("multi-port");

        var rootful = UnitGenerator.CreateCommand(spec, options, "/run");
        var rootless = UnitGenerator.CreateCommand(spec, options with { Rootless = true }, "/run/user/1000");

        Assert.DoesNotContain("-p", rootful);
        Assert.Equal(
            spec.Ports.Select(p => (p.ContainerPort, p.Protocol)).Distinct().Count(),
            rootless.Count(w => w == "-p"));
        Assert.All(rootless.Where((w, i) => i > 0 && rootless[i - 1] == "-p"), w => Assert.StartsWith("127.0.0.1::", w, StringComparison.Ordinal));
        Assert.Contains("/run/user/1000/podwake-web/container.pid", rootless);
        Assert.Contains("/run/user/1000/podwake-web/conmon.pid", rootless);
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var exitCode = PodwakeCommand.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
