using System.CommandLine;

namespace Podwake.Cli;

/// <summary>
/// Hidden <c>podwake man podwake|podwake.yaml</c>: print podwake(1) or podwake.yaml(5) as roff (<see cref="ManPages"/>),
/// for <c>man -l -</c> or to install: <c>podwake man podwake &gt; /usr/local/share/man/man1/podwake.1</c>.
/// </summary>
internal static class ManCommand
{
    public static Command Create()
    {
        var page = new Argument<string>("PAGE") { Description = "podwake (the commands, section 1) or podwake.yaml (the service file, section 5)", HelpName = "podwake|podwake.yaml" };
        page.AcceptOnlyFromAmong([.. ManPages.Names]);
        var command = new Command("man", "Print a man page as roff: podwake man podwake | man -l -") { page };
        command.Hidden = true;
        command.SetAction(result =>
        {
            result.InvocationConfiguration.Output.Write(ManPages.For(result.GetRequiredValue(page), result.RootCommandResult.Command));
            return ExitCodes.Success;
        });
        return command;
    }
}
