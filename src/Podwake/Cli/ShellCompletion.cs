using System.CommandLine;
using System.CommandLine.Completions;
using Podwake.Deploy;
using Podwake.Specs;
using Podwake.Units;

namespace Podwake.Cli;

/// <summary>
/// What the completion scripts complete besides command and option names: a <c>NAME</c> argument the deployed
/// services' names, a <c>PATH</c> argument (and <c>--spec</c>) file names. Set on the whole tree in one place, so a
/// new command with a NAME argument completes names with no line of its own.
/// </summary>
internal static class ShellCompletion
{
    public static void Attach(Command command)
    {
        foreach (var argument in command.Arguments)
        {
            if (argument.Name == "NAME")
            {
                argument.CompletionSources.Add(_ => DeployedNames().Select(name => new CompletionItem(name)));
            }
            else if (argument.Name == "PATH")
            {
                argument.CompletionSources.Add(Files);
            }

            OnlyWhileOpen(argument);
        }

        foreach (var option in command.Options.Where(o => o.Name == "--spec"))
        {
            option.CompletionSources.Add(Files);
        }

        foreach (var subcommand in command.Subcommands)
        {
            Attach(subcommand);
        }
    }

    /// <summary>
    /// Makes <paramref name="argument"/> offer nothing once it has its values and the word being completed is not one of
    /// them: System.CommandLine asks every argument of the command, so <c>podwake export kube </c> offered kube and
    /// knative again, and <c>podwake status web </c> every name.
    /// </summary>
    private static void OnlyWhileOpen(Argument argument)
    {
        for (var i = 0; i < argument.CompletionSources.Count; i++)
        {
            var source = argument.CompletionSources[i];
            argument.CompletionSources[i] = context =>
                context.ParseResult.GetResult(argument) is { } given
                && given.Tokens.Count >= argument.Arity.MaximumNumberOfValues
                && given.Tokens[^1].Value != context.WordToComplete
                    ? []
                    : source(context);
        }
    }

    /// <summary>
    /// The names of the services deployed where this user looks: the spec copies in the user's manager
    /// (<c>~/.config/podwake/services</c>), and for root also the system manager's (<c>/etc/podwake/services</c>) and the
    /// index of services root deployed into other users' managers (<c>/etc/podwake/deployed</c>). Read from files only:
    /// a completion must answer at once, with no systemctl and no podman.
    /// </summary>
    public static IReadOnlyList<string> DeployedNames() =>
        DeployedNames(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), Environment.IsPrivilegedProcess);

    /// <summary>The names under <paramref name="home"/>, and root's when <paramref name="root"/>.</summary>
    internal static IReadOnlyList<string> DeployedNames(string home, bool root)
    {
        var names = new SortedSet<string>(StringComparer.Ordinal);
        if (home.Length > 0)
        {
            AddFiles(names, SpecCopy.Directory(Path.Combine(home, ".config")), "*.yaml");
        }

        if (root)
        {
            AddFiles(names, SpecCopy.Directory("/etc"), "*.yaml");
            AddFiles(names, DeployedIndex.Directory, "*");
        }

        return [.. names];
    }

    private static void AddFiles(SortedSet<string> names, string directory, string pattern)
    {
        try
        {
            foreach (var file in Directory.EnumerateFiles(directory, pattern))
            {
                var name = pattern == "*" ? Path.GetFileName(file) : Path.GetFileNameWithoutExtension(file);
                if (ServiceParser.IsValidName(name))
                {
                    names.Add(name);
                }
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Missing or unreadable: nothing deployed there that this user may name.
        }
    }

    /// <summary>A placeholder that makes <see cref="SuggestAction"/> print <see cref="SuggestAction.FilesMarker"/>.</summary>
    private static IEnumerable<CompletionItem> Files(CompletionContext context) =>
        [new CompletionItem(context.WordToComplete, kind: SuggestAction.FilesKind)];
}
