using System.Globalization;
using System.Text;

namespace Podwake.Units;

/// <summary>
/// A command line as one line a person can paste into a POSIX shell: plain words as they are, others single-quoted,
/// and words with control characters (an env value with a newline) in <c>$'...'</c>, so the line stays one line.
/// </summary>
internal static class ShellWords
{
    public static string Join(IEnumerable<string> words) => string.Join(' ', words.Select(Quote));

    public static string Quote(string word)
    {
        if (word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || "-_./:=,+@%".Contains(c, StringComparison.Ordinal)))
        {
            return word;
        }

        if (!word.Any(char.IsControl))
        {
            return "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        }

        var quoted = new StringBuilder("$'");
        foreach (var c in word)
        {
            quoted.Append(c switch
            {
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                '\\' => "\\\\",
                '\'' => "\\'",
                _ when char.IsControl(c) => string.Create(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}"),
                _ => c.ToString(),
            });
        }

        return quoted.Append('\'').ToString();
    }
}
