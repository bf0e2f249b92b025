using System.Text;

namespace Podwake.Cli;

/// <summary>
/// podwake's own markdown (docs/service-file.md) as the body of a man page: the subset those files use and nothing
/// more. <c>#</c> is the page's title (left out: the page has its own), <c>##</c> a section, <c>###</c> a subsection,
/// a paragraph, <c>- </c> items, fenced code kept as it is, and a table as one tagged paragraph per row (its first
/// cell the tag; the header row left out). Inline marks as <see cref="Roff.Inline"/>.
/// </summary>
internal static class MarkdownManPage
{
    public static string Body(string markdown)
    {
        var output = new StringBuilder();
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var inCode = false;
        var paragraph = false;
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i];
            if (line.StartsWith("```", StringComparison.Ordinal))
            {
                output.Append(inCode ? ".fi\n.RE\n" : ".PP\n.RS 4\n.nf\n");
                inCode = !inCode;
                paragraph = false;
                continue;
            }

            if (inCode)
            {
                output.Append(Roff.Line(Roff.Escape(line))).Append('\n');
                continue;
            }

            var trimmed = line.Trim();
            if (trimmed.Length == 0 || trimmed.StartsWith("# ", StringComparison.Ordinal) || trimmed.StartsWith("<!--", StringComparison.Ordinal))
            {
                paragraph = false;
            }
            else if (trimmed.StartsWith("## ", StringComparison.Ordinal))
            {
                output.Append(".SH ").Append(Roff.Quoted(trimmed[3..].ToUpperInvariant())).Append('\n');
                paragraph = false;
            }
            else if (trimmed.StartsWith("### ", StringComparison.Ordinal))
            {
                output.Append(".SS ").Append(Roff.Quoted(StripMarks(trimmed[4..]))).Append('\n');
                paragraph = false;
            }
            else if (trimmed.StartsWith('|'))
            {
                TableRow(output, trimmed, IsHeader(lines, i));
                paragraph = false;
            }
            else if (trimmed.StartsWith("- ", StringComparison.Ordinal))
            {
                output.Append(".IP \\(bu 2\n").Append(Roff.Line(Roff.Inline(trimmed[2..]))).Append('\n');
                paragraph = true;
            }
            else
            {
                if (!paragraph)
                {
                    output.Append(".PP\n");
                    paragraph = true;
                }

                output.Append(Roff.Line(Roff.Inline(trimmed))).Append('\n');
            }
        }

        return output.ToString();
    }

    /// <summary>A header row is followed by the <c>|---|</c> line; the separator itself is no row either.</summary>
    private static bool IsHeader(string[] lines, int i) =>
        IsSeparator(lines[i]) || (i + 1 < lines.Length && IsSeparator(lines[i + 1]));

    private static bool IsSeparator(string line) => line.Trim().Trim('|').Split('|').All(cell => cell.Trim().Trim(':').Length > 0 && cell.Trim().Trim(':').All(c => c == '-'));

    private static void TableRow(StringBuilder output, string row, bool header)
    {
        if (header)
        {
            return;
        }

        var cells = row.Trim().Trim('|').Split(" | ").Select(c => c.Trim().Replace("\\|", "|", StringComparison.Ordinal)).ToList();
        output.Append(".TP\n").Append(Roff.Line(Roff.Inline(cells[0]))).Append('\n');
        output.Append(Roff.Line(Roff.Inline(string.Join("; ", cells.Skip(1))))).Append('\n');
    }

    /// <summary>A subsection title with its marks dropped (a title is set in bold already).</summary>
    private static string StripMarks(string text) => text.Replace("`", "", StringComparison.Ordinal).Replace("**", "", StringComparison.Ordinal);
}
