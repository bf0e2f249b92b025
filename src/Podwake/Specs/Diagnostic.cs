using System.Globalization;
using System.Text;

namespace Podwake.Specs;

/// <summary>One problem in a service file, printed as <c>FILE:LINE:COL: error: MESSAGE</c>.</summary>
internal sealed record Diagnostic(SourceLocation Location, string Message)
{
    /// <remarks>
    /// Messages quote the values they reject, which may hold a newline or a NUL ("hello\n" was a valid name): escaped
    /// here, each diagnostic stays one line.
    /// </remarks>
    public override string ToString() => $"{Location}: error: {Printable(Message)}";

    /// <summary>Text for a message: control characters as C escapes (<c>\n</c>, <c>\0</c>), so a message stays one line.</summary>
    public static string Printable(string text)
    {
        if (!text.Any(char.IsControl))
        {
            return text;
        }

        var printable = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            printable.Append(c switch
            {
                '\n' => @"\n",
                '\t' => @"\t",
                '\r' => @"\r",
                '\0' => @"\0",
                _ when char.IsControl(c) => string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}"),
                _ => c.ToString(),
            });
        }

        return printable.ToString();
    }
}
