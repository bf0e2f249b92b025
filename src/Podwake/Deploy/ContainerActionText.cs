namespace Podwake.Deploy;

/// <summary>The words of <see cref="ContainerAction"/>: the verb the plan <c>--dry-run</c> prints.</summary>
internal static class ContainerActionText
{
    public static EnumText<ContainerAction> Table { get; } = new(
        (ContainerAction.Keep, "keep"),
        (ContainerAction.Create, "create"),
        (ContainerAction.Recreate, "recreate"));

    public static string ToText(this ContainerAction value) => Table.ToText(value);

    public static bool TryParse(string? text, out ContainerAction value) => Table.TryParse(text, out value);

    /// <summary>What deploy reports once it is done: <c>container kept</c>, <c>created</c>, <c>recreated</c>.</summary>
    public static string ToPastText(this ContainerAction value) => value switch
    {
        ContainerAction.Keep => "kept",
        ContainerAction.Create => "created",
        ContainerAction.Recreate => "recreated",
        _ => throw new ArgumentOutOfRangeException(nameof(value), value, "not a ContainerAction"),
    };
}
