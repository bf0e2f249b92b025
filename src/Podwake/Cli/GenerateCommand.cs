using System.CommandLine;
using Podwake.Deploy;
using Podwake.Host;
using Podwake.Specs;
using Podwake.Units;

namespace Podwake.Cli;

/// <summary><c>podwake generate PATH... [--system]</c>: print the systemd units deploy would install.</summary>
/// <remarks>
/// Output: for each service in load order, every unit file deploy writes for it (<see cref="ServiceUnits"/>: socket,
/// activator and container units, the network unit where deploy gives it one, then the <c>expose:</c> socket and
/// forwarder units; a <c>sidecar:</c> service's path and sync units, watching the state folder of the caller's account), with the generator options deploy's planner works out, each preceded by a
/// <c># podwake-NAME.socket</c> line and separated by a blank line. Same input on the same host, same bytes.
/// </remarks>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var paths = ServiceFiles.PathsArgument();
        var system = new Option<bool>("--system")
        {
            Description = "Units for the system manager instead of the user's",
        };
        var command = new Command("generate", "Print the systemd units podwake deploy would install")
        {
            paths,
            system,
        };
        command.SetAction(async (ParseResult result, CancellationToken cancellationToken) =>
        {
            var output = result.InvocationConfiguration.Output;
            var error = result.InvocationConfiguration.Error;
            if (ServiceFiles.Load(result.GetRequiredValue(paths), error) is not { } services)
            {
                return ExitCodes.UserError;
            }

            var me = await UnixUser.CurrentAsync(cancellationToken);
            var planner = new DeployPlanner(new DeployOptions { System = result.GetValue(system), PodwakePath = PodwakeBinary.Path }, me);
            output.Write(Render(services, await planner.GeneratorOptionsAsync(services, cancellationToken), me.Home));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>Every unit of each spec (with its options, in order), each under a <c># NAME</c> line, a blank line between two.</summary>
    /// <param name="home">The caller's home: where a side-car service's state folder is, unless podman runs as root.</param>
    internal static string Render(IReadOnlyList<ServiceSpec> specs, IReadOnlyList<UnitGeneratorOptions> options, string home) =>
        Render(specs.Zip(options, (spec, o) => ServiceUnits.Of(spec, o, home)).SelectMany(units => units.All));

    internal static string Render(IEnumerable<GeneratedUnit> units) =>
        string.Join("\n", units.Select(u => $"# {u.Name}\n{u.File}"));
}
