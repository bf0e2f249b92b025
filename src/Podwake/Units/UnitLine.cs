namespace Podwake.Units;

/// <summary>One logical line of a unit file: a <c>Key=Value</c> entry, or a comment or blank line.</summary>
/// <remarks>
/// <see cref="Raw"/> is the text exactly as read (continuation lines included, without the final newline), so a
/// parsed file is written back byte for byte; an entry created or changed through <see cref="UnitFile"/> has
/// <c>Key=Value</c> as its raw text.
/// </remarks>
internal sealed record UnitLine
{
    /// <summary>The key; null for a comment or blank line.</summary>
    public string? Key { get; init; }

    /// <summary>The value with surrounding whitespace removed and continuations joined; null for a comment or blank line.</summary>
    public string? Value { get; init; }

    public required string Raw { get; init; }

    public bool IsEntry => Key is not null;

    public static UnitLine Entry(string key, string value) => new() { Key = key, Value = value, Raw = $"{key}={value}" };

    public static UnitLine Comment(string text) => new() { Raw = text.Length == 0 ? "#" : $"# {text}" };

    public static UnitLine Blank { get; } = new() { Raw = "" };
}
