using System.CommandLine;
using Podwake.Cli;
using Xunit;

namespace Podwake.Tests.Cli;

public sealed class SuggestActionTests : IDisposable
{
    private readonly TempDirectory _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public void Subcommand_IsCompletedByPrefixOnly()
    {
        Assert.Equal(["deploy"], Suggest("podwake dep"));
    }

    [Fact]
    public void Options_LeaveOutTheDosSpellingsOfHelp()
    {
        Assert.Equal(["--help", "--json", "--watch", "-h"], Suggest("podwake status -").Where(s => s.StartsWith('-')));
    }

    [Fact]
    public void PathArgument_AsksTheShellForFiles()
    {
        Assert.Equal(SuggestAction.FilesMarker, Suggest("podwake deploy ")[^1]);
        Assert.Equal([SuggestAction.FilesMarker], Suggest("podwake validate ./exa"));
    }

    [Fact]
    public void FilledArgument_OffersNoMoreValues()
    {
        Assert.Equal(["knative", "kube"], Suggest("podwake export k").Where(s => !s.StartsWith(':')));
        Assert.DoesNotContain("kube", Suggest("podwake export kube "));
    }

    [Fact]
    public void HiddenCommands_AreNotOffered()
    {
        var offered = Suggest("podwake ");

        Assert.Contains("completion", offered);
        Assert.DoesNotContain("activate", offered);
        Assert.DoesNotContain("man", offered);
    }

    [Fact]
    public void DeployedNames_AreTheSpecCopiesInTheHome()
    {
        _home.Write(".config/podwake/services/web.yaml", "name: web\n");
        _home.Write(".config/podwake/services/db.yaml", "name: db\n");
        _home.Write(".config/podwake/services/web.pod.yml", "kind: Pod\n");
        _home.Write(".config/podwake/services/Not_A_Name.yaml", "");

        Assert.Equal(["db", "web"], ShellCompletion.DeployedNames(_home.Path, root: false));
    }

    [Fact]
    public void DeployedNames_WithNothingDeployed_AreNone()
    {
        Assert.Empty(ShellCompletion.DeployedNames(_home.Path, root: false));
    }

    [Theory]
    [InlineData("bash", "complete -F _podwake podwake")]
    [InlineData("zsh", "compdef _podwake podwake")]
    [InlineData("fish", "complete -c podwake -f -a '(__podwake_complete)'")]
    public void CompletionCommand_PrintsTheShellsScript(string shell, string registration)
    {
        var output = new StringWriter { NewLine = "\n" };

        var exitCode = PodwakeCommand.Create().Parse(["completion", shell]).Invoke(new InvocationConfiguration { Output = output });

        Assert.Equal(0, exitCode);
        Assert.Contains(registration, output.ToString(), StringComparison.Ordinal);
        Assert.Contains("[suggest:", output.ToString(), StringComparison.Ordinal);
    }

    private static List<string> Suggest(string line)
    {
        var output = new StringWriter { NewLine = "\n" };
        var exitCode = PodwakeCommand.Create().Parse([$"[suggest:{line.Length}]", line]).Invoke(new InvocationConfiguration { Output = output });
        Assert.Equal(0, exitCode);
        return [.. output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)];
    }
}
