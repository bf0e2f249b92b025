using System.CommandLine;
using System.Text.RegularExpressions;
using Podwake.Podman;
using Podwake.Sidecars;

namespace Podwake.Cli;

/// <summary><c>podwake sidecar kill NAME KEY [SIGNAL]</c>: a signal to the process of one key's container (as TripleO's kill script).</summary>
internal static partial class SidecarKillCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The sidecar: service" };
        var key = new Argument<string>("KEY") { Description = "The key whose container gets the signal" };
        var signal = new Argument<string>("SIGNAL") { Arity = ArgumentArity.ZeroOrOne, DefaultValueFactory = _ => "TERM", Description = "A signal name (HUP, SIGHUP) or number; TERM by default" };
        var command = new Command("kill", "Send a signal to the process in one key's container") { name, key, signal };
        command.SetAction(async (result, cancellationToken) =>
        {
            var service = result.GetRequiredValue(name);
            var keyValue = result.GetRequiredValue(key);
            var signalValue = result.GetValue(signal) ?? "TERM";
            if (!SignalPattern().IsMatch(signalValue))
            {
                await Console.Error.WriteLineAsync($"podwake: error: \"{signalValue}\" is not a signal; give a name such as HUP or SIGTERM, or a number such as 9");
                return ExitCodes.UserError;
            }

            if (await SidecarTarget.PathsAsync(service) is null)
            {
                return ExitCodes.UserError;
            }

            var container = SidecarNames.Container(service, keyValue);
            try
            {
                await using var podman = await SidecarTarget.PodmanAsync(cancellationToken);
                // catatonit (the containers' init) passes the signal on to the program it runs.
                await podman.Client.KillContainerAsync(container, signalValue, cancellationToken);
                return ExitCodes.Success;
            }
            catch (PodmanException ex) when (ex.IsGone || ex.IsStateImproper)
            {
                await Console.Error.WriteLineAsync($"podwake: error: key \"{SidecarTarget.Printable(keyValue)}\" of {service} has no running container (podwake sidecar list {service})");
                return ExitCodes.UserError;
            }
            catch (Exception ex) when (ExitCodes.IsEnvironmentFailure(ex) || ex is PodmanException)
            {
                await Console.Error.WriteLineAsync($"podwake: error: {ex.Message}");
                return ExitCodes.EnvironmentError;
            }
        });
        return command;
    }

    [GeneratedRegex(@"^((SIG)?[A-Z][A-Z0-9+-]{0,11}|[0-9]{1,2})\z")]
    private static partial Regex SignalPattern();
}
