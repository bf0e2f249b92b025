using System.CommandLine;
using System.Runtime.InteropServices;
using Podwake.Deploy;
using Podwake.Host;
using Podwake.Specs;

namespace Podwake.Cli;

/// <summary><c>podwake undeploy NAME... [--purge] [--system]</c>: stop and remove deployed services.</summary>
internal static class UndeployCommand
{
    public static Command Create()
    {
        var names = new Argument<string[]>("NAME") { Arity = ArgumentArity.OneOrMore, Description = "Names of deployed services" };
        var purge = new Option<bool>("--purge") { Description = "Also remove the image and, for a run_as: service, the user's processes, the user and its home" };
        var system = new Option<bool>("--system") { Description = "Look in the system manager (root's index knows where each service went)" };
        var command = new Command("undeploy", "Stop the sockets, activators and containers of services and remove their units and containers")
        {
            names,
            purge,
            system,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            var requested = result.GetRequiredValue(names);
            // The loader's own name rule (its `$`-free pattern refuses "web\n", which a `^...$` regex let through).
            var invalid = requested.Where(n => !ServiceParser.IsValidName(n)).ToList();
            foreach (var name in invalid)
            {
                await error.WriteLineAsync($"podwake: error: \"{name}\" is not a service name; names are 1 to 48 lowercase letters, digits and '-'");
            }

            if (invalid.Count > 0)
            {
                return ExitCodes.UserError;
            }

            try
            {
                var me = await UnixUser.CurrentAsync(cancellationToken);
                var planner = new DeployPlanner(new DeployOptions { PodwakePath = PodwakeBinary.Path, System = result.GetValue(system) }, me);
                var undeployer = new Undeployer(planner, me, output);
                // A serve's container shares this user's podman store and its name (podwake-NAME): undeploy must not
                // remove it. The lock also keeps a serve of the name from starting while the undeploy runs.
                using var names = ServiceNameLock.Acquire(RuntimePaths.FromEnvironment(), requested, ServiceNameLock.UndeployOwner);

                // A signal does not cut a service's removal in half (its steps run with no cancellation); the names
                // after it are left, and the exit code says so.
                var received = 0;
                void OnSignal(PosixSignalContext context)
                {
                    context.Cancel = true;
                    Interlocked.CompareExchange(ref received, (int)context.Signal, 0);
                }

                using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
                using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
                using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
                foreach (var name in requested)
                {
                    if (received != 0)
                    {
                        var signal = (PosixSignal)received;
                        await error.WriteLineAsync($"podwake: undeploy interrupted by {signal}: {name} and the names after it not undeployed");
                        return ExitCodes.Interrupted(signal);
                    }

                    await undeployer.UndeployAsync(name, result.GetValue(purge), result.GetValue(system), CancellationToken.None);
                }

                return ExitCodes.Success;
            }
            catch (Exception ex) when (ExitCodes.IsEnvironmentFailure(ex))
            {
                await error.WriteLineAsync($"podwake: error: {ex.Message}");
                return ExitCodes.EnvironmentError;
            }
        });
        return command;
    }
}
