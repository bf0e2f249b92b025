using System.Globalization;
using System.Text;

namespace Podwake.Units;

/// <summary>Unit-name escaping exactly as <c>systemd-escape</c> and <c>systemd-escape --path</c> do it (systemd.unit(5), "String Escaping").</summary>
internal static class UnitName
{
    /// <summary>
    /// <c>/</c> becomes <c>-</c>; ASCII letters, digits, <c>:</c>, <c>_</c> and a non-leading <c>.</c> stay; every
    /// other byte of the UTF-8 encoding becomes <c>\xNN</c>.
    /// </summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length);
        var bytes = Encoding.UTF8.GetBytes(text);
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (b == '/')
            {
                escaped.Append('-');
            }
            else if ((b == '.' && i > 0) || b == ':' || b == '_' || (b < 0x80 && char.IsAsciiLetterOrDigit((char)b)))
            {
                escaped.Append((char)b);
            }
            else
            {
                escaped.Append(CultureInfo.InvariantCulture, $"\\x{b:x2}");
            }
        }

        return escaped.ToString();
    }

    /// <summary>
    /// As <c>systemd-escape --path</c>: the path simplified (repeated <c>/</c> and <c>.</c> components dropped),
    /// leading and trailing <c>/</c> removed, the root as <c>-</c>.
    /// </summary>
    /// <exception cref="ArgumentException">A <c>..</c> component, which systemd refuses too.</exception>
    public static string EscapePath(string path)
    {
        var components = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(c => c != ".").ToList();
        if (components.Contains(".."))
        {
            throw new ArgumentException($"\"{path}\" has a .. component; systemd cannot escape it reversibly", nameof(path));
        }

        return components.Count == 0 ? "-" : Escape(string.Join('/', components));
    }
}
