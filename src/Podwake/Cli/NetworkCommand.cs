using System.CommandLine;
using Podwake.Network;

namespace Podwake.Cli;

/// <summary>
/// Hidden <c>podwake network up|down NAME</c> (root): the ExecStart= and ExecStop= of <c>podwake-NAME-network.service</c>,
/// which keeps a rootful service's network namespace (<see cref="ServiceNetwork"/>) attached while it is deployed.
/// Prints <c>up</c>/<c>already up</c> or <c>down</c>/<c>not there</c>.
/// </summary>
internal static class NetworkCommand
{
    public static Command Create()
    {
        var command = new Command("network", "Set up or take down a deployed service's network namespace (root; internal)") { Hidden = true };
        var network = new Option<string>("--network") { Description = "The podman (CNI) network to attach it to", DefaultValueFactory = _ => ServiceNetwork.DefaultNetwork };
        command.Subcommands.Add(Sub("up", "Make /run/netns/podwake-NAME and attach it to the network unless it is", [network],
            async (name, result, token) => await ServiceNetwork.UpAsync(name, result.GetRequiredValue(network), token) ? "up" : "already up"));
        command.Subcommands.Add(Sub("down", "Detach and remove /run/netns/podwake-NAME", [],
            async (name, _, token) => await ServiceNetwork.DownAsync(name, token) ? "down" : "not there"));
        return command;
    }

    private static Command Sub(string name, string description, Option[] options, Func<string, ParseResult, CancellationToken, Task<string>> action)
    {
        var service = new Argument<string>("NAME") { Description = "The service name" };
        var command = new Command(name, description) { service };
        foreach (var option in options)
        {
            command.Options.Add(option);
        }

        command.SetAction(async (result, cancellationToken) =>
        {
            var serviceName = result.GetRequiredValue(service);
            if (!Specs.ServiceParser.IsValidName(serviceName))
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"podwake: error: {serviceName} is not a service name ([a-z0-9][a-z0-9-]{{0,47}})");
                return ExitCodes.UserError;
            }

            try
            {
                await result.InvocationConfiguration.Output.WriteLineAsync(await action(serviceName, result, cancellationToken));
                return ExitCodes.Success;
            }
            catch (Exception ex) when (ExitCodes.IsEnvironmentFailure(ex))
            {
                await result.InvocationConfiguration.Error.WriteLineAsync($"podwake: error: {ex.Message}");
                return ExitCodes.EnvironmentError;
            }
        });
        return command;
    }
}
