using System.CommandLine;
using Podwake.Cli;
using Xunit;

namespace Podwake.Tests.Cli;

public sealed class HelpTests
{
    /// <summary>Every command of the tree, hidden ones included, as the words that reach it.</summary>
    public static TheoryData<string> EveryCommand()
    {
        var data = new TheoryData<string>();
        foreach (var path in Paths(PodwakeCommand.Create(), []))
        {
            data.Add(string.Join(' ', path));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(EveryCommand))]
    public void Help_OfEveryCommand_ExitsZeroAndPrintsItsUsage(string command)
    {
        var words = command.Length == 0 ? [] : command.Split(' ');

        var (exitCode, output) = Run([.. words, "--help"]);

        Assert.Equal(0, exitCode);
        Assert.Contains($"Usage:\n  {string.Join(' ', ["podwake", .. words])}", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("activate", "Usage:\n  podwake activate NAME [options]\n", "--spec FILE")]
    [InlineData("user-manager start", "Usage:\n  podwake user-manager start USER [options]\n", "USER  The user name")]
    [InlineData("network up", "Usage:\n  podwake network up NAME [options]\n", "--network NETWORK")]
    [InlineData("man", "Usage:\n  podwake man podwake|podwake.yaml [options]\n", "-h, --help")]
    public void Help_OfAHiddenCommand_IsPrinted(string command, string usage, string line)
    {
        var (exitCode, output) = Run([.. command.Split(' '), "--help"]);

        Assert.Equal(0, exitCode);
        Assert.Contains(usage, output, StringComparison.Ordinal);
        Assert.Contains(line, output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status", "podwake status [NAME] [options]")]
    [InlineData("update", "podwake update [NAME...] [options]")]
    [InlineData("undeploy", "podwake undeploy NAME... [options]")]
    [InlineData("sidecar kill", "podwake sidecar kill NAME KEY [SIGNAL] [options]")]
    [InlineData("sidecar", "podwake sidecar COMMAND [options]")]
    public void Usage_BracketsOptionalArgumentsOnly(string command, string usage)
    {
        var (_, output) = Run([.. command.Split(' '), "--help"]);

        Assert.Contains($"Usage:\n  {usage}\n", output, StringComparison.Ordinal);
    }

    [Fact]
    public void RootHelp_ListsCommandsWithTheirArgumentsAndNoHiddenOne()
    {
        var (_, output) = Run("--help");

        Assert.Contains("\n  status [NAME]  ", output, StringComparison.Ordinal);
        Assert.Contains("\n  update [NAME...]  ", output, StringComparison.Ordinal);
        Assert.Contains("\n  deploy PATH...  ", output, StringComparison.Ordinal);
        Assert.Contains("\n  export kube|knative PATH...  ", output, StringComparison.Ordinal);
        Assert.Contains("\n  completion bash|zsh|fish  ", output, StringComparison.Ordinal);
        foreach (var hidden in new[] { "activate", "user-manager", "network", "man" })
        {
            Assert.DoesNotContain($"\n  {hidden} ", output, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Help_WithAMissingRequiredArgument_IsStillHelp()
    {
        var (exitCode, output) = Run("undeploy", "--help");

        Assert.Equal(0, exitCode);
        Assert.Contains("NAME  Names of deployed services", output, StringComparison.Ordinal);
    }

    private static IEnumerable<string[]> Paths(Command command, string[] path)
    {
        yield return path;
        foreach (var subcommand in command.Subcommands)
        {
            foreach (var sub in Paths(subcommand, [.. path, subcommand.Name]))
            {
                yield return sub;
            }
        }
    }

    private static (int ExitCode, string Output) Run(params string[] args)
    {
        var output = new StringWriter { NewLine = "\n" };
        var exitCode = PodwakeCommand.Create().Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = output });
        return (exitCode, output.ToString());
    }
}
