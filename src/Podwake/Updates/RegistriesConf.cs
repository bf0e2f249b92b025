using System.Globalization;
using System.Text;

namespace Podwake.Updates;

/// <summary>
/// The part of registries.conf (containers-registries.conf(5), version 2) that a digest check needs: the
/// <c>[[registry]]</c> tables' <c>prefix</c>, <c>location</c> and <c>insecure</c>. Everything else (other tables and keys,
/// mirrors, the version 1 format) is skipped, so no TOML package. Files as containers/image's <c>sysregistriesv2</c>
/// reads them: <c>~/.config/containers/registries.conf</c> when it exists (then neither the system file nor the system
/// drop-ins count) with <c>~/.config/containers/registries.conf.d/*.conf</c>; otherwise
/// <c>/etc/containers/registries.conf</c>, <c>/etc/containers/registries.conf.d/*.conf</c> and the user's drop-ins. Drop-ins
/// are read in name order after the main file; a later table with the same prefix replaces an earlier one.
/// </summary>
internal sealed class RegistriesConf
{
    private const string FileName = "registries.conf";

    private readonly IReadOnlyList<RegistryConfEntry> _entries;

    public RegistriesConf(IReadOnlyList<RegistryConfEntry> entries) => _entries = entries;

    public IReadOnlyList<RegistryConfEntry> Entries => _entries;

    /// <summary>The files read, in order (those that exist).</summary>
    public static IReadOnlyList<string> Files(RegistryAccessPaths paths)
    {
        var user = Path.Join(paths.Home, ".config", "containers", FileName);
        var userDropIns = DropIns(user + ".d");
        if (File.Exists(user))
        {
            return [user, .. userDropIns];
        }

        var system = Path.Join(paths.SystemConfig, FileName);
        return [.. File.Exists(system) ? [system] : Array.Empty<string>(), .. DropIns(system + ".d"), .. userDropIns];
    }

    /// <exception cref="InvalidDataException">A file has a <c>[[registry]]</c> key podwake cannot read (with file:line).</exception>
    public static RegistriesConf Load(RegistryAccessPaths paths)
    {
        var entries = new List<RegistryConfEntry>();
        foreach (var file in Files(paths))
        {
            foreach (var entry in Parse(file, File.ReadAllText(file)))
            {
                entries.RemoveAll(earlier => earlier.Prefix == entry.Prefix);
                entries.Add(entry);
            }
        }

        return new RegistriesConf(entries);
    }

    /// <summary>The table for <paramref name="name"/> (<c>REGISTRY/REPOSITORY</c>): the longest matching prefix.</summary>
    public RegistryConfEntry? Find(string name) =>
        _entries.Where(entry => entry.Matches(name)).MaxBy(entry => entry.Prefix.Length);

    public bool IsInsecure(string name) => Find(name)?.Insecure ?? false;

    public static IReadOnlyList<RegistryConfEntry> Parse(string path, string text)
    {
        var entries = new List<RegistryConfEntry>();
        string? prefix = null, location = null, source = null;
        var insecure = false;
        var inRegistry = false;

        void Close()
        {
            if (inRegistry && (location ?? prefix) is { } where)
            {
                entries.Add(new RegistryConfEntry(prefix ?? where, location ?? where, insecure, source!));
            }

            (prefix, location, insecure, inRegistry) = (null, null, false, false);
        }

        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var line = StripComment(lines[i]).Trim();
            var at = $"{path}:{(i + 1).ToString(CultureInfo.InvariantCulture)}";
            if (line.StartsWith('['))
            {
                Close();
                inRegistry = line.Replace(" ", "", StringComparison.Ordinal) == "[[registry]]";
                source = at;
                continue;
            }

            var equals = line.IndexOf('=', StringComparison.Ordinal);
            if (!inRegistry || equals <= 0)
            {
                continue;
            }

            var key = line[..equals].Trim().Trim('"');
            var value = line[(equals + 1)..].Trim();
            switch (key)
            {
                case "location":
                    location = Unquote(value, at, key);
                    break;
                case "prefix":
                    prefix = Unquote(value, at, key);
                    break;
                case "insecure":
                    insecure = value switch
                    {
                        "true" => true,
                        "false" => false,
                        _ => throw new InvalidDataException($"{at}: insecure = {value} is not true or false"),
                    };
                    break;
            }
        }

        Close();
        return entries;
    }

    private static IEnumerable<string> DropIns(string directory) =>
        Directory.Exists(directory)
            ? Directory.EnumerateFiles(directory, "*.conf").Order(StringComparer.Ordinal)
            : [];

    /// <summary>The line up to a '#' that is not inside a string.</summary>
    private static string StripComment(string line)
    {
        char? quote = null;
        for (var i = 0; i < line.Length; i++)
        {
            var c = line[i];
            if (quote is null && c == '#')
            {
                return line[..i];
            }

            if (quote == '"' && c == '\\')
            {
                i++;
            }
            else if (c is '"' or '\'')
            {
                quote = quote is null ? c : quote == c ? null : quote;
            }
        }

        return line;
    }

    /// <summary>A TOML basic ("…", with \" and \\) or literal ('…') string.</summary>
    private static string Unquote(string value, string at, string key)
    {
        if (value.Length >= 2 && value[0] == '\'' && value[^1] == '\'')
        {
            return value[1..^1];
        }

        if (value.Length < 2 || value[0] != '"' || value[^1] != '"')
        {
            throw new InvalidDataException($"{at}: {key} = {value} is not a quoted string");
        }

        var text = new StringBuilder();
        for (var i = 1; i < value.Length - 1; i++)
        {
            if (value[i] == '\\' && i + 1 < value.Length - 1)
            {
                i++;
            }

            text.Append(value[i]);
        }

        return text.ToString();
    }
}
