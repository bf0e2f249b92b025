using System.CommandLine;
using Podwake.Cli;
using Xunit;

namespace Podwake.Tests.Cli;

public sealed class ExportCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void HelloExample_PrintsTheDeploymentAndTheService()
    {
        var (exitCode, output, error) = Run("export", "kube", RepositoryPaths.Combine("examples/hello"));

        Assert.Equal(ExitCodes.Success, exitCode);
        Assert.Equal("", error);
        Assert.Contains("kind: Deployment\n", output, StringComparison.Ordinal);
        Assert.Contains("\n---\napiVersion: v1\nkind: Service\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void BadFile_PrintsItsErrorAtFileLineColAndExitsOne()
    {
        var bad = _dir.Write("bad.yaml", "name: bad\nimage: bad\nports: [{listen: 8080, container: 0}]\n");

        var (exitCode, output, error) = Run("export", "knative", bad);

        Assert.Equal(ExitCodes.UserError, exitCode);
        Assert.Equal("", output);
        Assert.StartsWith($"{bad}:3:", error, StringComparison.Ordinal);
    }

    [Fact]
    public void UnknownFormat_IsRefused()
    {
        var (exitCode, output, error) = Run("export", "helm", RepositoryPaths.Combine("examples/hello"));

        Assert.Equal(ExitCodes.UserError, exitCode);
        Assert.DoesNotContain("apiVersion", output, StringComparison.Ordinal);
        Assert.Contains("'helm'", error, StringComparison.Ordinal);
    }

    private static (int ExitCode, string Output, string Error) Run(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var error = new StringWriter { NewLine = "\n" };
        var exitCode = PodwakeCommand.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exitCode, output.ToString(), error.ToString());
    }
}
