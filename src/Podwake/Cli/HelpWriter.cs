using System.CommandLine;

namespace Podwake.Cli;

/// <summary>
/// The text of <c>podwake ... --help</c>, written from the command tree as System.CommandLine's own help is laid out
/// (Description, Usage, Arguments, Options, Commands), with two differences: a hidden command's help is printed
/// (System.CommandLine 2.0.0 prints nothing for it: <c>podwake activate --help</c> was empty), and usage comes from
/// <see cref="CommandSyntax"/>, so an optional argument is bracketed everywhere, the list of subcommands included.
/// </summary>
internal static class HelpWriter
{
    private const string Indent = "  ";

    public static void Write(Command command, TextWriter output)
    {
        if (!string.IsNullOrWhiteSpace(command.Description))
        {
            output.WriteLine("Description:");
            output.WriteLine(Indent + command.Description);
            output.WriteLine();
        }

        output.WriteLine("Usage:");
        output.WriteLine(Indent + CommandSyntax.Usage(command));
        output.WriteLine();

        WriteRows(output, "Arguments:", command.Arguments.Where(a => !a.Hidden)
            .Select(a => (CommandSyntax.Label(a), (a.Description ?? ""))));
        WriteRows(output, "Options:", CommandSyntax.Options(command)
            .Select(o => (CommandSyntax.Option(o), (o.Description ?? "") + CommandSyntax.OptionNote(o))));
        WriteRows(output, "Commands:", command.Subcommands.Where(c => !c.Hidden)
            .Select(c => (CommandSyntax.SubcommandLine(c), c.Description ?? "")));
    }

    private static void WriteRows(TextWriter output, string heading, IEnumerable<(string First, string Second)> rows)
    {
        var list = rows.ToList();
        if (list.Count == 0)
        {
            return;
        }

        var width = list.Max(r => r.First.Length);
        output.WriteLine(heading);
        foreach (var (first, second) in list)
        {
            output.WriteLine($"{Indent}{first.PadRight(width)}{Indent}{second}".TrimEnd());
        }

        output.WriteLine();
    }
}
