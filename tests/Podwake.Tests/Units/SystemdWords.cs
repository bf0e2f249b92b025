using System.Globalization;
using System.Text;

namespace Podwake.Tests.Units;

/// <summary>
/// Test-side model of how systemd 252 reads a command line (load-fragment.c config_parse_exec, then
/// replace_env_argv): specifiers, word splitting with quotes and C escapes, then <c>$$</c>. Fails on anything a
/// generated line must never contain (a specifier other than <c>%%</c>, a variable, an unquoted <c>;</c>).
/// </summary>
internal static class SystemdWords
{
    public static List<string> SplitExec(string line)
    {
        var resolved = Specifiers(line);
        var words = Split(resolved);
        if ($" {resolved} ".Contains(" ; ", StringComparison.Ordinal))
        {
            throw new FormatException("an unquoted ; separates commands");
        }

        return words.Select(Dollars).ToList();
    }

    private static string Specifiers(string line)
    {
        var result = new StringBuilder();
        for (var i = 0; i < line.Length; i++)
        {
            if (line[i] != '%')
            {
                result.Append(line[i]);
            }
            else if (i + 1 < line.Length && line[i + 1] == '%')
            {
                result.Append('%');
                i++;
            }
            else
            {
                throw new FormatException($"specifier %{(i + 1 < line.Length ? line[i + 1] : ' ')} would be expanded in: {line}");
            }
        }

        return result.ToString();
    }

    private static string Dollars(string word)
    {
        var result = new StringBuilder();
        for (var i = 0; i < word.Length; i++)
        {
            if (word[i] != '$')
            {
                result.Append(word[i]);
            }
            else if (i + 1 < word.Length && word[i + 1] == '$')
            {
                result.Append('$');
                i++;
            }
            else if (i + 1 < word.Length && (word[i + 1] == '{' || char.IsAsciiLetter(word[i + 1]) || word[i + 1] == '_'))
            {
                throw new FormatException($"a variable would be expanded in: {word}");
            }
            else
            {
                result.Append('$');
            }
        }

        return result.ToString();
    }

    private static List<string> Split(string line)
    {
        var words = new List<string>();
        var i = 0;
        while (true)
        {
            while (i < line.Length && line[i] is ' ' or '\t')
            {
                i++;
            }

            if (i == line.Length)
            {
                return words;
            }

            var word = new StringBuilder();
            char? quote = null;
            for (; i < line.Length; i++)
            {
                var c = line[i];
                if (quote is null && c is ' ' or '\t')
                {
                    break;
                }

                if (c == '\\')
                {
                    i = Unescape(line, i, word);
                }
                else if (quote is null && c is '"' or '\'')
                {
                    quote = c;
                }
                else if (c == quote)
                {
                    quote = null;
                }
                else
                {
                    word.Append(c);
                }
            }

            if (quote is not null)
            {
                throw new FormatException($"unbalanced quotes in: {line}");
            }

            words.Add(word.ToString());
        }
    }

    /// <summary>Reads the C escape at <paramref name="i"/>; returns the index of its last character.</summary>
    private static int Unescape(string line, int i, StringBuilder word)
    {
        if (i + 1 >= line.Length)
        {
            throw new FormatException("a trailing backslash");
        }

        var c = line[i + 1];
        switch (c)
        {
            case 'n': word.Append('\n'); return i + 1;
            case 't': word.Append('\t'); return i + 1;
            case 'r': word.Append('\r'); return i + 1;
            case '\\' or '"' or '\'' or ' ' or ';': word.Append(c); return i + 1;
            case 'x':
                word.Append((char)int.Parse(line.AsSpan(i + 2, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                return i + 3;
            default:
                throw new FormatException($"unknown escape \\{c}");
        }
    }
}
