using System.Text;
using System.Text.RegularExpressions;

namespace Podwake.Cli;

/// <summary>Text made safe for roff (man(7)): backslashes escaped, a line that would start a request protected.</summary>
internal static partial class Roff
{
    /// <summary>Plain text: <c>\</c> as <c>\e</c>; nothing else is special inside a line.</summary>
    public static string Escape(string text) => text.Replace("\\", "\\e", StringComparison.Ordinal);

    /// <summary>Literal text (code, option names): escaped, and every <c>-</c> a real minus, which man(7) asks for options.</summary>
    public static string Literal(string text) => Escape(text).Replace("-", "\\-", StringComparison.Ordinal);

    /// <summary>
    /// A line of text as it may appear in the output: a leading <c>.</c> or <c>'</c> would make it a request, so it gets a
    /// zero-width <c>\&amp;</c> in front.
    /// </summary>
    public static string Line(string line) => line.StartsWith('.') || line.StartsWith('\'') ? "\\&" + line : line;

    /// <summary>
    /// Markdown's inline marks in a line of text: <c>`code`</c> and <c>**bold**</c> in bold, a link as its text (links
    /// point into the repository, which a man page cannot follow); the rest escaped.
    /// </summary>
    public static string Inline(string text)
    {
        var result = new StringBuilder();
        var at = 0;
        foreach (Match match in InlineMark().Matches(text))
        {
            result.Append(Escape(text[at..match.Index]));
            if (match.Groups["code"].Success)
            {
                result.Append("\\fB").Append(Literal(match.Groups["code"].Value)).Append("\\fR");
            }
            else if (match.Groups["bold"].Success)
            {
                result.Append("\\fB").Append(Inline(match.Groups["bold"].Value)).Append("\\fR");
            }
            else
            {
                result.Append(Inline(match.Groups["link"].Value));
            }

            at = match.Index + match.Length;
        }

        return result.Append(Escape(text[at..])).ToString();
    }

    /// <summary>A quoted macro argument (<c>.SH "SEE ALSO"</c>): a <c>"</c> inside becomes <c>\(dq</c>.</summary>
    public static string Quoted(string text) => "\"" + text.Replace("\"", "\\(dq", StringComparison.Ordinal) + "\"";

    [GeneratedRegex(@"`(?<code>[^`]+)`|\*\*(?<bold>.+?)\*\*|\[(?<link>[^\]]+)\]\([^)\s]+\)")]
    private static partial Regex InlineMark();
}
