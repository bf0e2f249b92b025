using Microsoft.Extensions.Logging;
using Podwake.Podman;
using Podwake.Specs;

namespace Podwake.Serve;

/// <summary>
/// Makes a service's image local at start, as deploy does: built when the file says <c>build:</c>, pulled when podman
/// does not have it. Only at start: a wake never pulls, so the first connection never waits for a registry.
/// </summary>
internal static class ServeImage
{
    /// <param name="credentials">The auth files' credentials for the image's registry (podman's API service may not read them itself).</param>
    /// <param name="terminal">Where a pull draws its progress in place; null = a log line per step.</param>
    public static async Task PrepareAsync(
        ServiceSpec spec,
        PodmanClient podman,
        ILogger logger,
        Func<string, (string User, string Password)?> credentials,
        TimeProvider time,
        TextWriter? terminal,
        CancellationToken cancellationToken)
    {
        var image = spec.Image!;
        if (spec.Build is { } build)
        {
            ServeLog.Building(logger, spec.Name, image, build.Context);
            // Its STEP lines as they come: where the log goes on a terminal, as log lines otherwise.
            await new ImageBuilder().BuildAsync(build.Context, build.Containerfile, build.Args, image, cancellationToken, line =>
            {
                if (terminal is null)
                {
                    ServeLog.ImageStep(logger, spec.Name, line);
                }
                else
                {
                    terminal.WriteLine($"{spec.Name}: {line}");
                }
            }).ConfigureAwait(false);
            return;
        }

        if (await podman.ImageExistsAsync(image, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        ServeLog.Pulling(logger, spec.Name, image);
        try
        {
            var progress = new PullProgress(time, line => ServeLog.ImageStep(logger, spec.Name, line), terminal);
            var id = await podman.PullImageAsync(image, progress.Report, cancellationToken, credentials(image)).ConfigureAwait(false);
            if (terminal is null)
            {
                ServeLog.ImageStep(logger, spec.Name, progress.Summary(image, id));
            }
            else
            {
                await terminal.WriteLineAsync($"{spec.Name}: {progress.Summary(image, id)}").ConfigureAwait(false);
            }
        }
        catch (ImagePullException ex)
        {
            // Exit 2: the registry or the network is at fault, not the file (unless the name is wrong, which the remedy says).
            throw new EnvironmentException($"{spec.Name}: {ex.Message}", ex);
        }
    }
}
