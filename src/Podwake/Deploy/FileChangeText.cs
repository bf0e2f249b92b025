namespace Podwake.Deploy;

/// <summary>The words of <see cref="FileChange"/> in the plan <c>--dry-run</c> prints.</summary>
internal static class FileChangeText
{
    public static EnumText<FileChange> Table { get; } = new(
        (FileChange.Unchanged, "unchanged"),
        (FileChange.Create, "create"),
        (FileChange.Update, "update"),
        (FileChange.Remove, "remove"));

    public static string ToText(this FileChange value) => Table.ToText(value);

    public static bool TryParse(string? text, out FileChange value) => Table.TryParse(text, out value);
}
