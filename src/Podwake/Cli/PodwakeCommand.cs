using System.CommandLine;
using System.CommandLine.Completions;
using System.CommandLine.Help;

namespace Podwake.Cli;

/// <summary>The root command; each subcommand lives in its own file.</summary>
internal static class PodwakeCommand
{
    public static RootCommand Create()
    {
        var root = new RootCommand("podwake: containers that sleep until the first connection wakes them");
        foreach (var command in Subcommands())
        {
            root.Subcommands.Add(command);
        }

        // The tree parses a completion line that starts with "podwake" (CompletionScripts) whatever the binary is called
        // (the tests run it as testhost).
        if (root.Name != "podwake")
        {
            root.Aliases.Add("podwake");
        }

        root.Options.OfType<HelpOption>().Single().Action = new PodwakeHelpAction();
        var suggest = root.Directives.OfType<SuggestDirective>().Single();
        suggest.Action = new SuggestAction(suggest);
        ShellCompletion.Attach(root);
        root.Options.OfType<VersionOption>().Single().Action = new VersionAction();

        return root;
    }

    private static IEnumerable<Command> Subcommands()
    {
        yield return ValidateCommand.Create();
        yield return GenerateCommand.Create();
        yield return ExportCommand.Create();
        yield return ServeCommand.Create();
        yield return StatusCommand.Create();
        yield return MetricsCommand.Create();
        yield return LogsCommand.Create();
        yield return EventsCommand.Create();
        yield return UpdateCommand.Create();
        yield return ActivateCommand.Create();
        yield return DeployCommand.Create();
        yield return UndeployCommand.Create();
        yield return UserManagerCommand.Create();
        yield return NetworkCommand.Create();
        yield return SidecarCommand.Create();
        yield return CompletionCommand.Create();
        yield return ManCommand.Create();
    }
}
