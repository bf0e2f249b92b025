using System.Text;

namespace Podwake.Units;

/// <summary>
/// A systemd unit file as ordered sections of ordered lines (entries, comments, blanks), as systemd.syntax(7)
/// describes it; only the model: what goes in it is <see cref="UnitGenerator"/>'s business.
/// </summary>
/// <remarks>
/// <see cref="Parse"/> then <see cref="ToString"/> gives back the same bytes, for files this class wrote and for
/// hand-written ones (comments, blank lines, <c>Key = Value</c> spacing, continuation lines, a missing final newline).
/// Values are stored as systemd reads them before any unquoting: quoting belongs to <see cref="SystemdQuoting"/>.
/// </remarks>
internal sealed class UnitFile
{
    private readonly List<UnitLine> _preamble = [];
    private readonly List<UnitSection> _sections = [];
    private bool _finalNewline = true;

    public IReadOnlyList<UnitSection> Sections => _sections;

    /// <summary>Reads <paramref name="text"/>; throws <see cref="FormatException"/> naming the line for what systemd would reject.</summary>
    public static UnitFile Parse(string text)
    {
        var file = new UnitFile();
        var lines = text.Split('\n');
        file._finalNewline = lines[^1].Length == 0;
        var count = file._finalNewline ? lines.Length - 1 : lines.Length;
        UnitSection? section = null;
        for (var i = 0; i < count; i++)
        {
            var line = lines[i];
            var trimmed = line.Trim();
            var target = section?.Lines ?? file._preamble;
            if (trimmed.Length == 0 || IsComment(line))
            {
                target.Add(new UnitLine { Raw = line });
            }
            else if (trimmed[0] == '[')
            {
                if (trimmed.Length < 3 || trimmed[^1] != ']')
                {
                    throw new FormatException($"line {i + 1}: a section header must look like [Name]: {trimmed}");
                }

                section = new UnitSection(trimmed[1..^1], line);
                file._sections.Add(section);
            }
            else
            {
                if (section is null)
                {
                    throw new FormatException($"line {i + 1}: assignment outside of any section: {trimmed}");
                }

                var equals = trimmed.IndexOf('=', StringComparison.Ordinal);
                if (equals <= 0)
                {
                    throw new FormatException($"line {i + 1}: expected Key=Value: {trimmed}");
                }

                var raw = new StringBuilder(line);
                var value = new StringBuilder(trimmed[(equals + 1)..]);

                // systemd.syntax(7): a line ending in a backslash continues on the next; the backslash reads as
                // a space, and comment lines inside the continuation are skipped.
                while (EndsWithBackslash(value) && i + 1 < count)
                {
                    value.Length = TrimEnd(value).Length - 1;
                    value.Append(' ');
                    string next;
                    do
                    {
                        next = lines[++i];
                        raw.Append('\n').Append(next);
                    }
                    while (IsComment(next) && i + 1 < count);

                    if (!IsComment(next))
                    {
                        value.Append(next.Trim());
                    }
                }

                section.Lines.Add(new UnitLine
                {
                    Key = trimmed[..equals].TrimEnd(),
                    Value = value.ToString().Trim(),
                    Raw = raw.ToString(),
                });
            }
        }

        return file;
    }

    /// <summary>The value of the last <paramref name="key"/> in any <paramref name="section"/> (systemd lets a later one win), or null.</summary>
    public string? Get(string section, string key) => GetAll(section, key).LastOrDefault();

    /// <summary>Every value of <paramref name="key"/> in <paramref name="section"/>, in file order (empty resets included as "").</summary>
    public IReadOnlyList<string> GetAll(string section, string key) =>
        _sections
            .Where(s => s.Name == section)
            .SelectMany(s => s.Lines)
            .Where(l => l.Key == key)
            .Select(l => l.Value!)
            .ToList();

    /// <summary>Appends <c>key=value</c> to the last <paramref name="section"/>, adding the section at the end if missing.</summary>
    public void Add(string section, string key, string value)
    {
        CheckValue(key, value);
        Append(SectionFor(section), UnitLine.Entry(key, value));
    }

    /// <summary>Appends a <c># text</c> comment line to the last <paramref name="section"/>.</summary>
    public void AddComment(string section, string text)
    {
        if (text.Contains('\n', StringComparison.Ordinal))
        {
            throw new ArgumentException("a comment is one line", nameof(text));
        }

        Append(SectionFor(section), UnitLine.Comment(text));
    }

    /// <summary>Appends a comment line before the first section.</summary>
    public void AddPreambleComment(string text) => _preamble.Add(UnitLine.Comment(text));

    /// <summary>Makes <paramref name="value"/> the only value of <paramref name="key"/>: replaces the first, removes the rest.</summary>
    public void Set(string section, string key, string value)
    {
        CheckValue(key, value);
        var replaced = false;
        foreach (var s in _sections.Where(s => s.Name == section))
        {
            for (var i = 0; i < s.Lines.Count; i++)
            {
                if (s.Lines[i].Key != key)
                {
                    continue;
                }

                if (replaced)
                {
                    s.Lines.RemoveAt(i--);
                }
                else
                {
                    s.Lines[i] = UnitLine.Entry(key, value);
                    replaced = true;
                }
            }
        }

        if (!replaced)
        {
            Add(section, key, value);
        }
    }

    public override string ToString()
    {
        var text = new StringBuilder();
        var first = true;
        void Line(string raw)
        {
            if (!first)
            {
                text.Append('\n');
            }

            text.Append(raw);
            first = false;
        }

        foreach (var line in _preamble)
        {
            Line(line.Raw);
        }

        foreach (var section in _sections)
        {
            Line(section.Header);
            foreach (var line in section.Lines)
            {
                Line(line.Raw);
            }
        }

        if (_finalNewline && !first)
        {
            text.Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Adds at the end of <paramref name="section"/>, but before the blank lines that part it from the next one.</summary>
    private void Append(UnitSection section, UnitLine line)
    {
        var at = section.Lines.Count;
        if (!ReferenceEquals(section, _sections[^1]))
        {
            while (at > 0 && section.Lines[at - 1].Raw.Trim().Length == 0)
            {
                at--;
            }
        }

        section.Lines.Insert(at, line);
    }

    private UnitSection SectionFor(string name)
    {
        var section = _sections.LastOrDefault(s => s.Name == name);
        if (section is not null)
        {
            return section;
        }

        // Sections written here are set apart by one blank line, as systemd's own units are.
        var previous = _sections.Count > 0 ? _sections[^1].Lines : _preamble;
        if (previous.Count > 0 && previous[^1].Raw.Length != 0)
        {
            previous.Add(UnitLine.Blank);
        }

        section = new UnitSection(name, $"[{name}]");
        _sections.Add(section);
        return section;
    }

    /// <summary>A value with a newline, or ending in a backslash, would spill into the next line: refuse it.</summary>
    private static void CheckValue(string key, string value)
    {
        if (key.Length == 0 || key.Any(c => !char.IsAsciiLetterOrDigit(c) && c != '_'))
        {
            throw new ArgumentException($"not a unit file key: \"{key}\"", nameof(key));
        }

        if (value.Contains('\n', StringComparison.Ordinal) || value.Contains('\r', StringComparison.Ordinal) || value.EndsWith('\\'))
        {
            throw new ArgumentException($"{key}= value would break the line; quote it with SystemdQuoting first", nameof(value));
        }
    }

    private static bool IsComment(string line)
    {
        var trimmed = line.TrimStart();
        return trimmed.Length > 0 && trimmed[0] is '#' or ';';
    }

    private static bool EndsWithBackslash(StringBuilder value)
    {
        var trimmed = TrimEnd(value);
        return trimmed.Length > 0 && trimmed[^1] == '\\';
    }

    private static string TrimEnd(StringBuilder value) => value.ToString().TrimEnd();
}
