using System.CommandLine;
using Podwake.Cli;
using Podwake.Units;
using Xunit;

namespace Podwake.Tests.Units;

public sealed class GenerateCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void HelloExample_PrintsTheHelloGoldenUnitsUnderHeaders()
    {
        var (exitCode, output, error) = Run("generate", RepositoryPaths.Combine("examples/hello"));

        var golden = RepositoryPaths.Combine("tests/Podwake.Tests/Units/testdata/hello");
        var expected = string.Join("\n", new[] { "podwake-hello.socket", "podwake-hello.service", "podwake-hello-container.service" }
            .Select(name => $"# {name}\n{UnitGeneratorGoldenTests.StripAssertions(File.ReadAllText(Path.Join(golden, name)))}"));
        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal("", error);
        Assert.Equal(expected, output.Replace(RepositoryPaths.Root, "@REPO@", StringComparison.Ordinal));
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
    public void EnvValueWithNewline_ReachesPodmanAsOneArgument()
    {
        var (spec, options) = UnitGeneratorGoldenTests.Load("hostile");
        var container = UnitGenerator.Generate(spec, options)[2].File;

        var words = SystemdWords.SplitExec(container.Get(UnitSections.Service, UnitKeys.ExecStart)!);

        Assert.Equal(UnitGenerator.RunCommand(spec, options), words);
        Assert.Contains("MULTI=first\nsecond", words);
        Assert.Contains("line\nbreak", words);
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var exitCode = PodwakeCommand.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
