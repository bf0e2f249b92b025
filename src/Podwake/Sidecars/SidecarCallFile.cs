using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Podwake.Sidecars;

/// <summary>
/// The text of a call (as the wrapper writes it into <c>calls/</c>) and of a list entry (the same, with the key sync
/// derived, in <c>keys/</c>): a line per field, every value that comes from the caller hex-encoded, ending in
/// <c>end</c> (a file cut short is refused, not half-read).
/// </summary>
/// <example><code>
/// podwake-sidecar-call 1
/// id 3fa9c0e4d2b17a55
/// time 1796032861
/// netns 4026532301
/// foreground 0
/// arg 2d2d706f72743d35333533
/// env NEUTRON_DEBUG 31
/// key 71646863702d61
/// end
/// </code></example>
internal static partial class SidecarCallFile
{
    public const string Header = "podwake-sidecar-call 1";

    /// <summary>The largest call file read: four times Linux's 2 MiB argument limit, hex-encoded.</summary>
    public const long MaxBytes = 8 * 1024 * 1024;

    /// <summary>The call in <paramref name="text"/>, or null with why (a malformed file is the caller's problem, reported to it).</summary>
    public static SidecarCall? Parse(string text, out string? problem)
    {
        problem = null;
        var lines = text.Split('\n');
        if (lines.Length == 0 || lines[0] != Header)
        {
            problem = $"not a podwake side-car call (the first line is not \"{Header}\")";
            return null;
        }

        string? id = null;
        long? time = null;
        ulong? netns = null;
        var foreground = false;
        string? key = null;
        var arguments = new List<string>();
        var environment = new Dictionary<string, string>(StringComparer.Ordinal);
        var ended = false;
        for (var i = 1; i < lines.Length && !ended; i++)
        {
            var line = lines[i];
            if (line.Length == 0 && i == lines.Length - 1)
            {
                break;
            }

            var fields = line.Split(' ');
            var ok = fields[0] switch
            {
                "id" => fields.Length == 2 && IdPattern().IsMatch(fields[1]) && (id = fields[1]) is not null,
                "time" => fields.Length == 2 && long.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var t) && (time = t) is not null,
                "netns" => fields.Length == 2 && (fields[1].Length == 0 || (ulong.TryParse(fields[1], NumberStyles.None, CultureInfo.InvariantCulture, out var n) && (netns = n) is not null)),
                "foreground" => fields.Length == 2 && fields[1] is "0" or "1" && ((foreground = fields[1] == "1") || true),
                "arg" => fields.Length == 2 && TryDecode(fields[1], out var argument) && Add(arguments, argument),
                "env" => fields.Length == 3 && NamePattern().IsMatch(fields[1]) && TryDecode(fields[2], out var value) && environment.TryAdd(fields[1], value),
                "key" => fields.Length == 2 && TryDecode(fields[1], out var k) && (key = k) is not null,
                "end" => fields.Length == 1 && (ended = true),
                _ => false,
            };
            if (!ok)
            {
                // A program may well pass bytes that are not text (the wrapper records them faithfully): say so, not "malformed".
                problem = fields switch
                {
                    ["arg", var hex] when IsHex(hex) => $"argument {arguments.Count + 1} is not UTF-8 text (or holds a NUL): podman runs a command of text only",
                    ["env", var name, var hex] when NamePattern().IsMatch(name) && !environment.ContainsKey(name) && IsHex(hex) =>
                        $"the value of {name} is not UTF-8 text (or holds a NUL): podman passes text only",
                    _ => $"line {i + 1} of the call is malformed: \"{Shorten(line)}\"",
                };
                return null;
            }
        }

        if (!ended || id is null || time is null)
        {
            problem = !ended ? "the call is incomplete (no end line)" : "the call has no id or time line";
            return null;
        }

        return new SidecarCall
        {
            Id = id,
            Time = time.Value,
            NetnsInode = netns,
            Foreground = foreground,
            Arguments = arguments,
            Environment = environment,
            Key = key,
        };
    }

    /// <summary>The file text of <paramref name="call"/> (with its key when set).</summary>
    public static string Format(SidecarCall call)
    {
        var text = new StringBuilder();
        text.Append(Header).Append('\n');
        text.Append("id ").Append(call.Id).Append('\n');
        text.Append("time ").Append(call.Time.ToString(CultureInfo.InvariantCulture)).Append('\n');
        text.Append("netns ").Append(call.NetnsInode?.ToString(CultureInfo.InvariantCulture) ?? "").Append('\n');
        text.Append("foreground ").Append(call.Foreground ? '1' : '0').Append('\n');
        foreach (var argument in call.Arguments)
        {
            text.Append("arg ").Append(Encode(argument)).Append('\n');
        }

        foreach (var (name, value) in call.Environment.OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            text.Append("env ").Append(name).Append(' ').Append(Encode(value)).Append('\n');
        }

        if (call.Key is { } key)
        {
            text.Append("key ").Append(Encode(key)).Append('\n');
        }

        return text.Append("end\n").ToString();
    }

    public static string Encode(string value) => Convert.ToHexStringLower(Encoding.UTF8.GetBytes(value));

    /// <summary>Hex (as od prints it) to text; false when it is not hex or not UTF-8 (podman's API takes text).</summary>
    public static bool TryDecode(string hex, out string value)
    {
        value = "";
        if (hex.Length % 2 != 0)
        {
            return false;
        }

        try
        {
            value = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(Convert.FromHexString(hex));
            return !value.Contains('\0', StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is FormatException or DecoderFallbackException)
        {
            return false;
        }
    }

    private static bool Add(List<string> list, string value)
    {
        list.Add(value);
        return true;
    }

    private static bool IsHex(string text) => text.Length % 2 == 0 && text.All(char.IsAsciiHexDigit);

    private static string Shorten(string line) => line.Length <= 60 ? line : line[..60] + "...";

    /// <summary>The wrapper's IDs: hex from /dev/urandom, or PID-TIME without it.</summary>
    [GeneratedRegex(@"^[0-9a-f-]{1,64}\z")]
    internal static partial Regex IdPattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z")]
    private static partial Regex NamePattern();
}
