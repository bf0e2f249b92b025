namespace Podwake.Tests;

/// <summary>A fresh directory under the system temp folder, deleted on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        Root = Directory.CreateTempSubdirectory("podwake-tests-").FullName;
    }

    public string Root { get; }

    /// <summary>Writes <paramref name="text"/> to <paramref name="relativePath"/> (folders created) and returns the full path.</summary>
    public string Write(string relativePath, string text)
    {
        var path = Path.Join(Root, relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Creates the folder <paramref name="relativePath"/> and returns its full path.</summary>
    public string CreateDirectory(string relativePath) => Directory.CreateDirectory(Path.Join(Root, relativePath)).FullName;

    public void Dispose() => Directory.Delete(Root, recursive: true);
}
