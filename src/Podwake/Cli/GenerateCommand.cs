using System.CommandLine;
using Podwake.Specs;
using Podwake.Units;

namespace Podwake.Cli;

/// <summary><c>podwake generate PATH... [--system]</c>: print the systemd units deploy would install.</summary>
/// <remarks>
/// Output: for each service in load order, its socket, activator and container units, each preceded by a
/// <c># podwake-NAME.socket</c> line and separated by a blank line. Same input, same bytes.
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
        command.SetAction((ParseResult result, CancellationToken cancellationToken) =>
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
                return Task.FromResult(ExitCodes.UserError);
            }

            var options = new UnitGeneratorOptions { System = result.GetValue(system) };
            output.Write(Render(loaded.Services.SelectMany(s => UnitGenerator.Generate(s, options))));
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }

    /// <summary>Units one after another, each under a <c># NAME</c> line, a blank line between two.</summary>
    internal static string Render(IEnumerable<GeneratedUnit> units) =>
        string.Join("\n", units.Select(u => $"# {u.Name}\n{u.File}"));
}
