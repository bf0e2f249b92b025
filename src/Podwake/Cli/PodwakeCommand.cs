using System.CommandLine;

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
        yield return UpdateCommand.Create();
        yield return ActivateCommand.Create();
        yield return DeployCommand.Create();
        yield return UndeployCommand.Create();
        yield return UserManagerCommand.Create();
        yield return NetworkCommand.Create();
        yield return SidecarCommand.Create();
    }
}
