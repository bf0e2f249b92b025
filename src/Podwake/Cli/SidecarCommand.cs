using System.CommandLine;

namespace Podwake.Cli;

/// <summary><c>podwake sidecar list|sync|kill|remove NAME ...</c>: the side-car containers of a <c>sidecar:</c> service, one per key.</summary>
internal static class SidecarCommand
{
    public static Command Create()
    {
        var command = new Command("sidecar", "The side-car containers of a sidecar: service, one per key");
        command.Subcommands.Add(SidecarListCommand.Create());
        command.Subcommands.Add(SidecarSyncCommand.Create());
        command.Subcommands.Add(SidecarKillCommand.Create());
        command.Subcommands.Add(SidecarRemoveCommand.Create());
        return command;
    }
}
