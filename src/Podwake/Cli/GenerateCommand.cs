using System.CommandLine;
using Podwake.Network;
using Podwake.Specs;
using Podwake.Units;

namespace Podwake.Cli;

/// <summary><c>podwake generate PATH... [--system]</c>: print the systemd units deploy would install.</summary>
/// <remarks>
/// Output: for each service in load order, its socket, activator and container units (and its network unit where
/// deploy would give it one: rootful, podman on CNI), each preceded by a <c># podwake-NAME.socket</c> line and
/// separated by a blank line. Same input on the same host, same bytes.
/// </remarks>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH")
        {
            Arity = ArgumentArity.OneOrMore,
            Description = "Service files, or directories of *.yaml/*.yml files",
        };
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
            var loaded = SpecLoader.Load(result.GetRequiredValue(paths));
            foreach (var diagnostic in loaded.Diagnostics)
            {
                error.WriteLine(diagnostic);
            }

            if (!loaded.Succeeded)
            {
                return ExitCodes.UserError;
            }

            var options = await HostOptionsAsync(result.GetValue(system), cancellationToken);
            output.Write(Render(loaded.Services.SelectMany(s => UnitGenerator.Generate(s, ForService(s, options)))));
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The options deploy would use on this host for this process's user, as the planner works them out.</summary>
    internal static async Task<UnitGeneratorOptions> HostOptionsAsync(bool system, CancellationToken cancellationToken)
    {
        var rootless = !system && !Environment.IsPrivilegedProcess;
        var networkNamespace = !rootless && await ServiceNetwork.UnavailableReasonAsync(cancellationToken: cancellationToken) is null;
        return new UnitGeneratorOptions { System = system, Rootless = rootless, NetworkNamespace = networkNamespace };
    }

    /// <summary>A <c>user:</c> service deploys into that user's manager, with rootless podman.</summary>
    internal static UnitGeneratorOptions ForService(ServiceSpec spec, UnitGeneratorOptions host) =>
        spec.User is { } user && user != "root" && !host.System ? host with { Rootless = true, NetworkNamespace = false } : host;

    /// <summary>Units one after another, each under a <c># NAME</c> line, a blank line between two.</summary>
    internal static string Render(IEnumerable<GeneratedUnit> units) =>
        string.Join("\n", units.Select(u => $"# {u.Name}\n{u.File}"));
}
