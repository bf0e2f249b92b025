namespace Podwake.Updates;

/// <summary>The words of <see cref="UpdateOutcome"/>: <c>podwake update --json</c> and <c>status</c>'s last update.</summary>
internal static class UpdateOutcomeText
{
    public static EnumText<UpdateOutcome> Table { get; } = new(
        (UpdateOutcome.UpToDate, "up-to-date"),
        (UpdateOutcome.WouldUpdate, "would-update"),
        (UpdateOutcome.Updated, "updated"),
        (UpdateOutcome.RolledBack, "rolled-back"),
        (UpdateOutcome.Failed, "failed"),
        (UpdateOutcome.Skipped, "skipped"));

    public static string ToText(this UpdateOutcome value) => Table.ToText(value);

    public static bool TryParse(string? text, out UpdateOutcome value) => Table.TryParse(text, out value);
}
