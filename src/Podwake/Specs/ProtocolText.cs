namespace Podwake.Specs;

/// <summary>The words of <see cref="Protocol"/>: the service file's <c>protocol:</c> values, as podman, ss and messages write them too.</summary>
internal static class ProtocolText
{
    public static EnumText<Protocol> Table { get; } = new(
        (Protocol.Tcp, SpecKeys.Tcp),
        (Protocol.Udp, SpecKeys.Udp));

    public static string ToText(this Protocol value) => Table.ToText(value);

    public static bool TryParse(string? text, out Protocol value) => Table.TryParse(text, out value);
}
