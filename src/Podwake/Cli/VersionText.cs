using System.Reflection;

namespace Podwake.Cli;

/// <summary>
/// What <c>podwake --version</c> prints: <c>podwake 0.14.0 (commit 1a2b3c4, 2026-11-30)</c>. The commit and its date
/// are read from git when the binary is built (Podwake.csproj, PodwakeCommitMetadata) and kept as assembly metadata, so
/// the NativeAOT binary knows them with no checkout beside it; a build outside a git work tree says <c>commit unknown</c>.
/// </summary>
internal static class VersionText
{
    public static string Current
    {
        get
        {
            var assembly = typeof(VersionText).Assembly;
            var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";
            var metadata = assembly.GetCustomAttributes<AssemblyMetadataAttribute>().ToDictionary(a => a.Key, a => a.Value, StringComparer.Ordinal);
            return Format(informational, metadata.GetValueOrDefault("PodwakeCommit"), metadata.GetValueOrDefault("PodwakeCommitDate"));
        }
    }

    /// <param name="version">The assembly's informational version; SourceLink's <c>+FULLHASH</c> suffix is left out (the short hash follows).</param>
    public static string Format(string version, string? commit, string? date)
    {
        var plus = version.IndexOf('+', StringComparison.Ordinal);
        var number = plus < 0 ? version : version[..plus];
        return string.IsNullOrEmpty(commit)
            ? $"podwake {number} (commit unknown)"
            : string.IsNullOrEmpty(date) ? $"podwake {number} (commit {commit})" : $"podwake {number} (commit {commit}, {date})";
    }
}
