namespace Podwake.Cli;

/// <summary>The podwake binary running now, which deploy writes into the activator units.</summary>
/// <remarks>
/// The units run exactly the build that deployed them (a test build deploys itself; a second installation does not pick
/// up the first one's binary). Symlinks are resolved: run as <c>/usr/local/bin/podwake</c>, the units name the installed
/// file <c>/usr/local/lib/podwake/podwake</c> that the link points to (scripts/setup, scripts/install-podwake). That
/// path stays valid across upgrades (the new binary is renamed over it), so an upgrade needs no redeploy, and a user
/// repointing the link on PATH (to try a build) does not change what deployed services run.
/// </remarks>
internal static class PodwakeBinary
{
    /// <summary>What the kernel appends to <c>/proc/self/exe</c> once the running file was replaced (an upgrade while this runs).</summary>
    private const string DeletedSuffix = " (deleted)";

    public static string Path => Resolve(Environment.ProcessPath ?? throw new InvalidOperationException("the path of the running podwake is unknown"));

    /// <summary>
    /// <paramref name="path"/> with its symlinks resolved; a path the kernel marks <c>(deleted)</c> (scripts/setup renamed
    /// a new binary over the one running this deploy) is the installed path again, which now holds the new binary.
    /// </summary>
    internal static string Resolve(string path)
    {
        if (path.EndsWith(DeletedSuffix, StringComparison.Ordinal) && !File.Exists(path))
        {
            path = path[..^DeletedSuffix.Length];
        }

        return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? System.IO.Path.GetFullPath(path);
    }

    /// <summary>
    /// The podwake source tree (the nearest folder above with <c>podwake.slnx</c>) that <paramref name="binary"/> lies in:
    /// a build's output (<c>artifacts/publish</c>, <c>bin/Release</c>, <c>dotnet run</c>); null for an installed binary.
    /// </summary>
    public static string? SourceTreeOf(string binary)
    {
        for (var directory = System.IO.Path.GetDirectoryName(binary); !string.IsNullOrEmpty(directory); directory = System.IO.Path.GetDirectoryName(directory))
        {
            if (File.Exists(System.IO.Path.Join(directory, "podwake.slnx")))
            {
                return directory;
            }
        }

        return null;
    }

    /// <summary>
    /// What deploy says on stderr when its units would run a binary inside a source tree: they break when that tree is
    /// rebuilt (a build writes a new file there, or fails with "Text file busy") or deleted. A warning, not a refusal:
    /// deploying a build under test is what a developer (and podwake's own tests) mean to do; and not a quiet switch to
    /// the installed binary, which may be another version than the one that planned the units.
    /// </summary>
    public static string? SourceTreeWarning(string binary) =>
        SourceTreeOf(binary) is { } tree
            ? $"podwake: warning: the deployed units will run {binary}, inside the source tree {tree}: rebuilding or deleting "
              + "that tree breaks them; install podwake (scripts/setup installs a copy as /usr/local/lib/podwake/podwake, "
              + "on PATH as /usr/local/bin/podwake) and deploy again with the installed podwake"
            : null;
}
