using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;
using System.Globalization;

namespace Podwake.Cli;

/// <summary>
/// The <c>[suggest:POSITION]</c> directive as podwake's completion scripts (<see cref="CompletionScripts"/>) read it:
/// <c>podwake "[suggest:11]" "podwake dep"</c> prints the candidates for the word at POSITION of the line, one a line,
/// then <c>:files</c> when a file may go there too (the shell completes file names itself: it knows how to quote
/// them and to walk into directories). Unlike System.CommandLine's own action, only candidates that start with the word
/// are printed (its list matches anywhere: <c>dep</c> offered <c>undeploy</c>), and the DOS-style <c>/?</c>, <c>/h</c>
/// and <c>-?</c> spellings of <c>--help</c> are left out.
/// </summary>
internal sealed class SuggestAction(Directive directive) : SynchronousCommandLineAction
{
    /// <summary>The last line when a file name may be completed at the position.</summary>
    public const string FilesMarker = ":files";

    /// <summary>The kind of the placeholder item a file argument's completion source gives (<see cref="ShellCompletion"/>).</summary>
    public const string FilesKind = "podwake-files";

    public override bool ClearsParseErrors => true;

    public override int Invoke(ParseResult parseResult)
    {
        var line = parseResult.Tokens.LastOrDefault(t => t.Type != TokenType.Directive)?.Value ?? "";
        var value = parseResult.GetResult(directive)?.Values.SingleOrDefault();
        var position = int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var given) ? Math.Min(given, line.Length) : line.Length;
        var word = line[..position].Split(' ').Last();
        var items = parseResult.RootCommandResult.Command.Parse(line, parseResult.Configuration).GetCompletions(position).ToList();
        var output = parseResult.InvocationConfiguration.Output;
        foreach (var label in items
            .Where(i => i.Kind != FilesKind)
            .Select(i => i.Label)
            .Where(l => l.StartsWith(word, StringComparison.Ordinal) && !l.StartsWith('/') && l != "-?")
            .Distinct(StringComparer.Ordinal))
        {
            output.WriteLine(label);
        }

        if (items.Any(i => i.Kind == FilesKind))
        {
            output.WriteLine(FilesMarker);
        }

        return ExitCodes.Success;
    }
}
