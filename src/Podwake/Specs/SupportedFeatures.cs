using System.Collections.Frozen;

namespace Podwake.Specs;

/// <summary>
/// The one place listing what the service-file contract (README) promises but this build cannot run yet.
/// </summary>
/// <remarks>
/// The parser still validates these keys fully, then reports every use as an error: the contract says a key
/// podwake does not implement must never be silently ignored. When a feature lands, delete its entry here
/// (and the test that expects the error); nothing else changes.
/// </remarks>
internal static class SupportedFeatures
{
    private static readonly FrozenDictionary<SpecFeature, (string Coming, string Meanwhile)> NotYet =
        new Dictionary<SpecFeature, (string Coming, string Meanwhile)>
        {
        }.ToFrozenDictionary();

    public static bool IsSupported(SpecFeature feature) => !NotYet.ContainsKey(feature);

    /// <summary>The error for a use of <paramref name="feature"/>, or null when this build supports it.</summary>
    /// <remarks>The message names the feature as the user wrote it (<see cref="SpecFeatureText"/>: <c>update: local</c>).</remarks>
    public static string? NotSupportedMessage(SpecFeature feature) =>
        NotYet.TryGetValue(feature, out var entry)
            ? $"{feature.ToText()} is not supported yet by this version of podwake (coming: {entry.Coming}); {entry.Meanwhile}"
            : null;
}
