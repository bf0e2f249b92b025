using System.ComponentModel;
using System.Diagnostics;

namespace Podwake.Podman;

/// <summary>
/// Builds an image with the <c>podman build</c> CLI. Building happens once when a service is deployed or served,
/// never per wake, so a process spawn is fine here (and the REST build endpoint would need a tar of the context).
/// </summary>
internal sealed class ImageBuilder
{
    private readonly string _podmanPath;

    public ImageBuilder(string podmanPath = PodmanBinary.Name) => _podmanPath = podmanPath;

    /// <summary>The <c>podman build</c> arguments (after the program name) for a context, build args in key order.</summary>
    internal static List<string> BuildArguments(string contextDir, string? containerfile, IReadOnlyDictionary<string, string>? buildArgs, string tag)
    {
        List<string> arguments = ["build", "--tag", tag];
        if (containerfile is not null)
        {
            arguments.AddRange(["--file", containerfile]);
        }

        foreach (var (key, value) in (buildArgs ?? new Dictionary<string, string>()).OrderBy(a => a.Key, StringComparer.Ordinal))
        {
            arguments.AddRange(["--build-arg", $"{key}={value}"]);
        }

        arguments.Add(contextDir);
        return arguments;
    }

    /// <summary>Builds <paramref name="contextDir"/> as <paramref name="tag"/> and returns the image ID.</summary>
    /// <param name="containerfile">null = podman's default (Containerfile, then Dockerfile, in the context).</param>
    /// <param name="step">Gets each <c>STEP n/m: …</c> line as podman prints it.</param>
    public async Task<string> BuildAsync(
        string contextDir,
        string? containerfile,
        IReadOnlyDictionary<string, string>? buildArgs,
        string tag,
        CancellationToken cancellationToken,
        Action<string>? step = null)
    {
        var iidFile = Path.Combine(Path.GetTempPath(), $"podwake-iid-{Guid.NewGuid():N}");
        var start = new ProcessStartInfo(_podmanPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var arguments = BuildArguments(contextDir, containerfile, buildArgs, tag);
        arguments.InsertRange(1, ["--iidfile", iidFile]);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var tail = new OutputTail();
        using var process = new Process { StartInfo = start };
        var gate = new Lock();
        DataReceivedEventHandler received = (_, e) =>
        {
            tail.Add(e.Data);
            if (step is not null && e.Data is { } line && PodmanCliOutput.IsBuildStep(line))
            {
                lock (gate)
                {
                    step(line);
                }
            }
        };
        process.OutputDataReceived += received;
        process.ErrorDataReceived += received;
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            throw new PodmanUnavailableException($"Failed to run {_podmanPath}: podman is not installed: apt-get install podman", e);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        try
        {
            if (process.ExitCode != 0)
            {
                throw new ImageBuildException(tag, process.ExitCode, tail.ToString());
            }

            return (await File.ReadAllTextAsync(iidFile, cancellationToken).ConfigureAwait(false)).Trim();
        }
        finally
        {
            File.Delete(iidFile);
        }
    }
}
