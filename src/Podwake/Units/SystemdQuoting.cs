using System.Globalization;
using System.Text;

namespace Podwake.Units;

/// <summary>
/// Turns arbitrary strings from a service file into unit-file text that systemd reads back as exactly that string,
/// never as more words, another command, a specifier or a variable.
/// </summary>
/// <remarks>
/// How systemd reads the values (systemd 252, <c>src/core/load-fragment.c</c>):
/// <list type="bullet">
/// <item><c>ExecStart=</c> and friends: specifiers (<c>%x</c>) are resolved on the whole line first, then it is
/// split into words with double/single quotes and C escapes (<c>\\</c>, <c>\"</c>, <c>\n</c>, <c>\xNN</c>) undone,
/// a lone unquoted <c>;</c> ends the command, then <c>$NAME</c>/<c>${NAME}</c> are replaced in each word and
/// <c>$$</c> becomes <c>$</c> (systemd.service(5), "Command lines").</item>
/// <item><c>Environment=</c>: split into words the same way (quotes and C escapes), then specifiers resolved in
/// each word; no <c>$</c> expansion (systemd.exec(5)).</item>
/// <item>Paths (<c>RequiresMountsFor=</c>, <c>WorkingDirectory=</c>, ...): specifiers only.</item>
/// </list>
/// So an argument is written in double quotes whenever it is not plainly safe, with <c>\</c>, <c>"</c>,
/// control characters escaped C-style, <c>%</c> doubled and (in command lines) <c>$</c> doubled. A quoted
/// <c>";"</c> is a literal argument, never a separator.
/// </remarks>
internal static class SystemdQuoting
{
    /// <summary>One command-line word for <c>ExecStart=</c>, <c>ExecStop=</c>, ...: read back by systemd byte for byte.</summary>
    public static string ExecArgument(string argument) => Quote(argument, doubleDollar: true);

    /// <summary>A whole command line: each word through <see cref="ExecArgument"/>, joined by spaces.</summary>
    /// <remarks>The program itself must be an absolute path that does not start with one of the prefixes <c>@-:+!</c>.</remarks>
    public static string ExecLine(IEnumerable<string> words)
    {
        var list = words.ToList();
        if (list.Count == 0 || !list[0].StartsWith('/'))
        {
            throw new ArgumentException("a command line starts with the absolute path of the program", nameof(words));
        }

        return string.Join(' ', list.Select(ExecArgument));
    }

    /// <summary>One <c>NAME=value</c> assignment for <c>Environment=</c>, quoted as one word (systemd.exec(5)).</summary>
    public static string EnvironmentAssignment(string name, string value)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]) || name.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '_'))
        {
            throw new ArgumentException($"not a valid environment variable name: \"{name}\"", nameof(name));
        }

        return Quote($"{name}={value}", doubleDollar: false);
    }

    /// <summary>A path value (specifiers resolved, nothing else): only <c>%</c> needs escaping; a path cannot hold a newline here.</summary>
    public static string Path(string path)
    {
        if (!path.StartsWith('/') || path.Any(char.IsControl))
        {
            throw new ArgumentException($"not an absolute path systemd can read: \"{path}\"", nameof(path));
        }

        return Specifiers(path);
    }

    /// <summary>Doubles every <c>%</c> so that systemd's specifier expansion gives the text back unchanged.</summary>
    public static string Specifiers(string text) => text.Replace("%", "%%", StringComparison.Ordinal);

    private static string Quote(string word, bool doubleDollar)
    {
        if (word.Length > 0 && word.All(IsPlain))
        {
            return word;
        }

        var quoted = new StringBuilder(word.Length + 2).Append('"');
        foreach (var c in word)
        {
            switch (c)
            {
                case '\\':
                    quoted.Append(@"\\");
                    break;
                case '"':
                    quoted.Append("\\\"");
                    break;
                case '%':
                    quoted.Append("%%");
                    break;
                case '$' when doubleDollar:
                    quoted.Append("$$");
                    break;
                case '\n':
                    quoted.Append(@"\n");
                    break;
                case '\t':
                    quoted.Append(@"\t");
                    break;
                case '\r':
                    quoted.Append(@"\r");
                    break;
                case '\0':
                    throw new ArgumentException("a NUL character cannot be passed through a unit file", nameof(word));
                case < ' ' or '\x7f':
                    quoted.Append(CultureInfo.InvariantCulture, $"\\x{(int)c:x2}");
                    break;
                default:
                    quoted.Append(c);
                    break;
            }
        }

        return quoted.Append('"').ToString();
    }

    /// <summary>Characters that mean nothing to systemd's word splitting, specifiers or variable expansion.</summary>
    private static bool IsPlain(char c) => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or ':' or '=' or ',' or '+' or '@';
}
