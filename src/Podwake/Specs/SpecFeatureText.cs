namespace Podwake.Specs;

/// <summary>The words of <see cref="SpecFeature"/>: the key (with its value, for an update policy) as the service file uses the feature.</summary>
internal static class SpecFeatureText
{
    public static EnumText<SpecFeature> Table { get; } = new(
        (SpecFeature.RunAs, SpecKeys.RunAs),
        (SpecFeature.Expose, SpecKeys.Expose),
        (SpecFeature.Pod, SpecKeys.Pod),
        (SpecFeature.RegistryUpdates, $"{SpecKeys.Update}: {UpdatePolicy.Registry.ToText()}"),
        (SpecFeature.LocalUpdates, $"{SpecKeys.Update}: {UpdatePolicy.Local.ToText()}"));

    public static string ToText(this SpecFeature value) => Table.ToText(value);

    public static bool TryParse(string? text, out SpecFeature value) => Table.TryParse(text, out value);
}
