namespace Podwake.IntegrationTests.Infrastructure;

/// <summary>
/// A fresh directory under the system temp folder (/tmp), deleted on dispose. The one temp-directory helper of every
/// test project: the unit tests and the fault suite link this file.
/// </summary>
internal sealed class TempDirectory : IDisposable
{
    public TempDirectory()
    {
        // Not Directory.CreateTempSubdirectory: that makes the folder 0700, and the integration tests hand these folders
        // to a rootless user's service and to containers, which need to read them.
        Path = System.IO.Path.Join(System.IO.Path.GetTempPath(), $"podwake-test-{Guid.NewGuid():N}");
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    /// <summary>Writes <paramref name="text"/> to <paramref name="relativePath"/> (folders created) and returns the full path.</summary>
    public string Write(string relativePath, string text)
    {
        var path = System.IO.Path.Join(Path, relativePath);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    /// <summary>Creates the folder <paramref name="relativePath"/> and returns its full path.</summary>
    public string CreateDirectory(string relativePath) => Directory.CreateDirectory(System.IO.Path.Join(Path, relativePath)).FullName;

    public void Dispose()
    {
        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
            // best effort: /tmp is cleaned anyway
        }
        catch (UnauthorizedAccessException)
        {
            // files written by a rootless container's sub-UID
        }
    }
}
