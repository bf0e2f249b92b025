namespace Podwake.Specs;

/// <summary>The words of <see cref="ReadyKind"/>: the probe keys of <c>ready:</c>.</summary>
internal static class ReadyKindText
{
    public static EnumText<ReadyKind> Table { get; } = new(
        (ReadyKind.Tcp, SpecKeys.Tcp),
        (ReadyKind.Udp, SpecKeys.Udp),
        (ReadyKind.Http, SpecKeys.Http),
        (ReadyKind.Exec, SpecKeys.Exec));

    public static string ToText(this ReadyKind value) => Table.ToText(value);

    public static bool TryParse(string? text, out ReadyKind value) => Table.TryParse(text, out value);
}
