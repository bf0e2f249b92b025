namespace Podwake.Deploy;

/// <summary>The words of <see cref="ImageAction"/> in the plan <c>--dry-run</c> prints.</summary>
internal static class ImageActionText
{
    public static EnumText<ImageAction> Table { get; } = new(
        (ImageAction.Present, "present"),
        (ImageAction.Build, "build"),
        (ImageAction.Pull, "pull"));

    public static string ToText(this ImageAction value) => Table.ToText(value);

    public static bool TryParse(string? text, out ImageAction value) => Table.TryParse(text, out value);
}
