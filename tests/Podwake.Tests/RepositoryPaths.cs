namespace Podwake.Tests;

/// <summary>Paths inside the repository the tests were built from.</summary>
internal static class RepositoryPaths
{
    /// <summary>The folder holding podwake.slnx, found by walking up from the test binaries.</summary>
    public static string Root { get; } = FindRoot();

    public static string Combine(string relativePath) => Path.Join(Root, relativePath);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Join(directory.FullName, "podwake.slnx")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"Failed to find podwake.slnx above {AppContext.BaseDirectory}");
    }
}
