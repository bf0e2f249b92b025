namespace Podwake.Podman;

/// <summary>
/// What the podman CLI prints while it pulls or builds, read line by line. Without a terminal podman prints a line per
/// step ("Copying blob sha256:…", "STEP 2/3: RUN …") and, on failure, "Error: …" last.
/// </summary>
internal static class PodmanCliOutput
{
    private const string TryingToPull = "Trying to pull ";
    private const string ErrorPrefix = "Error: ";

    /// <summary>A pull's line worth showing: its steps, not the image ID it prints on stdout at the end.</summary>
    public static bool IsPullStep(string line) =>
        line.Length > 0 && !(line.Length == 64 && line.All(char.IsAsciiHexDigitLower)) && !line.StartsWith(ErrorPrefix, StringComparison.Ordinal);

    /// <summary>A build's step line (<c>STEP 2/3: RUN …</c>); the commands' own output is left to the log on failure.</summary>
    public static bool IsBuildStep(string line) => line.StartsWith("STEP ", StringComparison.Ordinal);

    /// <summary>
    /// A failed <c>podman pull</c> as an <see cref="ImagePullException"/>: podman's last "Error: " line, classified as
    /// the API's is, at the registry podman said it tried (a short name's) or the one the name gives.
    /// </summary>
    public static ImagePullException PullFailure(string image, string output)
    {
        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var registry = lines.LastOrDefault(l => l.StartsWith(TryingToPull, StringComparison.Ordinal)) is { } trying
            ? ImagePullErrors.Registry(trying[TryingToPull.Length..].TrimEnd('.'))
            : ImagePullErrors.Registry(image);
        var error = lines.LastOrDefault(l => l.StartsWith(ErrorPrefix, StringComparison.Ordinal)) is { } last
            ? last[ErrorPrefix.Length..]
            : lines.LastOrDefault() ?? "podman pull failed and printed nothing";
        return new ImagePullException(image, registry, error);
    }
}
