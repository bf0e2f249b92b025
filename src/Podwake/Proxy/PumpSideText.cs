namespace Podwake.Proxy;

/// <summary>The words of <see cref="PumpSide"/> in the log (<c>failed on the Client side</c>), capitalised as the log has always written them.</summary>
internal static class PumpSideText
{
    public static EnumText<PumpSide> Table { get; } = new(
        (PumpSide.None, "None"),
        (PumpSide.Client, "Client"),
        (PumpSide.Backend, "Backend"));

    public static string ToText(this PumpSide value) => Table.ToText(value);

    public static bool TryParse(string? text, out PumpSide value) => Table.TryParse(text, out value);
}
