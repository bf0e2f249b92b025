namespace Podwake.Specs;

/// <summary>The words of <see cref="RestartPolicy"/>: the service file's <c>restart:</c> values, which are systemd's <c>Restart=</c> values too.</summary>
internal static class RestartPolicyText
{
    public static EnumText<RestartPolicy> Table { get; } = new(
        (RestartPolicy.No, "no"),
        (RestartPolicy.OnFailure, "on-failure"),
        (RestartPolicy.Always, "always"));

    public static string ToText(this RestartPolicy value) => Table.ToText(value);

    public static bool TryParse(string? text, out RestartPolicy value) => Table.TryParse(text, out value);
}
