using System.CommandLine;

namespace Podwake.Cli;

/// <summary><c>podwake completion bash|zsh|fish</c>: print the shell's completion script (<see cref="CompletionScripts"/>).</summary>
internal static class CompletionCommand
{
    public static Command Create()
    {
        var shell = new Argument<string>("SHELL") { Description = "bash, zsh or fish", HelpName = "bash|zsh|fish" };
        shell.AcceptOnlyFromAmong([.. CompletionScripts.Shells]);
        var command = new Command(
            "completion",
            "Print a completion script: source <(podwake completion bash), source <(podwake completion zsh), podwake completion fish | source")
        {
            shell,
        };
        command.SetAction(result =>
        {
            result.InvocationConfiguration.Output.Write(CompletionScripts.For(result.GetRequiredValue(shell)));
            return ExitCodes.Success;
        });
        return command;
    }
}
