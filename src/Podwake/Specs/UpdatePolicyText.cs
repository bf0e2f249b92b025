namespace Podwake.Specs;

/// <summary>The words of <see cref="UpdatePolicy"/>: the service file's <c>update:</c> values, which are podman's <c>io.containers.autoupdate</c> label values too.</summary>
internal static class UpdatePolicyText
{
    public static EnumText<UpdatePolicy> Table { get; } = new(
        (UpdatePolicy.None, "none"),
        (UpdatePolicy.Registry, "registry"),
        (UpdatePolicy.Local, "local"));

    public static string ToText(this UpdatePolicy value) => Table.ToText(value);

    public static bool TryParse(string? text, out UpdatePolicy value) => Table.TryParse(text, out value);
}
