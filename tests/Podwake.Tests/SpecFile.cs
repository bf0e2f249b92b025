using Podwake.Specs;
using Xunit;

namespace Podwake.Tests;

/// <summary>
/// The unit tests' one way to turn YAML into a <see cref="ServiceSpec"/> or into podwake's exact error lines: a
/// <c>service.yaml</c> in a fresh temp folder, loaded as every command loads it (<see cref="SpecLoader"/>). The static
/// methods load files a test wrote itself (several files, a folder).
/// </summary>
internal sealed class SpecFile : IDisposable
{
    public SpecFile()
    {
        Path = System.IO.Path.Join(Directory.Path, "service.yaml");
    }

    /// <summary>The temp folder holding <see cref="Path"/>, for files beside it.</summary>
    public TempDirectory Directory { get; } = new();

    /// <summary>The service file: <c>service.yaml</c> in <see cref="Directory"/>.</summary>
    public string Path { get; }

    /// <summary>Writes <paramref name="yaml"/> to <see cref="Path"/> and returns its one service, asserting it loads with no error.</summary>
    public ServiceSpec Load(string yaml)
    {
        File.WriteAllText(Path, yaml);
        return LoadOne(Path);
    }

    /// <summary>
    /// Writes <paramref name="yaml"/> to <see cref="Path"/> and returns each error as podwake prints it
    /// (<c>FILE:LINE:COL: error: ...</c>), in order; asserts that a file with no error gives exactly one service.
    /// </summary>
    public string[] Errors(string yaml)
    {
        File.WriteAllText(Path, yaml);
        var result = SpecLoader.Load([Path]);
        Assert.Equal(result.Diagnostics.Count == 0, result.Services.Count == 1);
        return Text(result);
    }

    /// <summary>Loads <paramref name="paths"/> and returns their one service, asserting no error (the errors are the failure message).</summary>
    public static ServiceSpec LoadOne(params string[] paths)
    {
        var result = SpecLoader.Load(paths);
        Assert.True(result.Succeeded, string.Join('\n', Text(result)));
        return Assert.Single(result.Services);
    }

    /// <summary>Loads <paramref name="paths"/> and returns each error as podwake prints it, in order.</summary>
    public static string[] ErrorsIn(params string[] paths) => Text(SpecLoader.Load(paths));

    public void Dispose() => Directory.Dispose();

    private static string[] Text(SpecLoadResult result) => result.Diagnostics.Select(d => d.ToString()).ToArray();
}
