namespace Podwake;

/// <summary>
/// The words of one enum, both ways: the single table each <c>…Text</c> class next to an enum holds, so a value is
/// written and read the same way everywhere (service files, unit files, status, messages).
/// </summary>
/// <remarks>
/// Every value must have exactly one word and no two values the same word: a value added to the enum without one fails
/// when its table is first used (and in its unit test), never as a wrong word in some output. The tables are a handful
/// of entries, looked up off the hot path, so a linear search is all they need.
/// </remarks>
internal sealed class EnumText<TEnum>
    where TEnum : struct, Enum
{
    private readonly (TEnum Value, string Text)[] _entries;

    public EnumText(params (TEnum Value, string Text)[] entries)
    {
        var values = Enum.GetValues<TEnum>();
        if (entries.Length != values.Length
            || values.Any(v => entries.Count(e => EqualityComparer<TEnum>.Default.Equals(e.Value, v)) != 1)
            || entries.Select(e => e.Text).Distinct(StringComparer.Ordinal).Count() != entries.Length)
        {
            throw new ArgumentException($"the text table of {typeof(TEnum).Name} must give every value one word of its own", nameof(entries));
        }

        _entries = entries;
    }

    /// <summary>Every word, in the table's order.</summary>
    public IReadOnlyList<string> Texts => _entries.Select(e => e.Text).ToArray();

    /// <summary>The words as a message offers them: <c>no, on-failure or always</c>.</summary>
    public string Choices => $"{string.Join(", ", Texts.Take(Texts.Count - 1))} or {Texts[^1]}";

    public string ToText(TEnum value)
    {
        foreach (var (entry, text) in _entries)
        {
            if (EqualityComparer<TEnum>.Default.Equals(entry, value))
            {
                return text;
            }
        }

        throw new ArgumentOutOfRangeException(nameof(value), value, $"not a {typeof(TEnum).Name}");
    }

    /// <summary>The value whose word is exactly <paramref name="text"/> (ordinal: the words are case-sensitive).</summary>
    public bool TryParse(string? text, out TEnum value)
    {
        foreach (var entry in _entries)
        {
            if (string.Equals(entry.Text, text, StringComparison.Ordinal))
            {
                value = entry.Value;
                return true;
            }
        }

        value = default;
        return false;
    }
}
