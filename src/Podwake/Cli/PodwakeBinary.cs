namespace Podwake.Cli;

/// <summary>The podwake binary running now, which deploy writes into the activator units.</summary>
/// <remarks>
/// Not a fixed /usr/local/bin/podwake: the units then run exactly the build that deployed them (a test build deploys
/// itself; a second installation does not pick up the first one's binary). Symlinks are resolved so that the unit keeps
/// working if the link is repointed only when deploy runs again.
/// </remarks>
internal static class PodwakeBinary
{
    public static string Path
    {
        get
        {
            var path = Environment.ProcessPath ?? throw new InvalidOperationException("the path of the running podwake is unknown");
            return File.ResolveLinkTarget(path, returnFinalTarget: true)?.FullName ?? System.IO.Path.GetFullPath(path);
        }
    }
}
