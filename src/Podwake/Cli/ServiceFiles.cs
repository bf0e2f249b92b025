using System.CommandLine;
using Podwake.Specs;

namespace Podwake.Cli;

/// <summary>The <c>PATH...</c> argument of the commands that read service files, and their loading with every problem printed.</summary>
internal static class ServiceFiles
{
    public static Argument<string[]> PathsArgument() => new("PATH")
    {
        Arity = ArgumentArity.OneOrMore,
        Description = "Service files, or directories of *.yaml/*.yml files",
    };

    /// <summary>The services in <paramref name="paths"/>; null after printing every problem to <paramref name="error"/> when there is any.</summary>
    public static IReadOnlyList<ServiceSpec>? Load(IEnumerable<string> paths, TextWriter error)
    {
        var loaded = SpecLoader.Load(paths);
        foreach (var diagnostic in loaded.Diagnostics)
        {
            error.WriteLine(diagnostic);
        }

        return loaded.Succeeded ? loaded.Services : null;
    }
}
