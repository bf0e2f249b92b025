namespace Podwake.Activation;

/// <summary>The words of <see cref="ServiceState"/>: <c>podwake status</c>, its table and its JSON (<c>state</c>).</summary>
internal static class ServiceStateText
{
    public static EnumText<ServiceState> Table { get; } = new(
        (ServiceState.Dormant, "dormant"),
        (ServiceState.Waking, "waking"),
        (ServiceState.Ready, "ready"),
        (ServiceState.Stopping, "stopping"),
        (ServiceState.Failed, "failed"));

    public static string ToText(this ServiceState value) => Table.ToText(value);

    public static bool TryParse(string? text, out ServiceState value) => Table.TryParse(text, out value);
}
