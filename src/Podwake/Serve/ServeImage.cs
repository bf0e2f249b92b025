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
    /// <summary>Length of an image ID as podman shows it.</summary>
    private const int ShortIdLength = 12;

    /// <param name="credentials">The auth files' credentials for the image's registry (podman's API service may not read them itself).</param>
    public static async Task PrepareAsync(ServiceSpec spec, PodmanClient podman, ILogger logger, Func<string, (string User, string Password)?> credentials, CancellationToken cancellationToken)
    {
        var image = spec.Image!;
        if (spec.Build is { } build)
        {
            ServeLog.Building(logger, spec.Name, image, build.Context);
            await new ImageBuilder().BuildAsync(build.Context, build.Containerfile, build.Args, image, cancellationToken).ConfigureAwait(false);
            return;
        }

        if (await podman.ImageExistsAsync(image, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        ServeLog.Pulling(logger, spec.Name, image);
        try
        {
            var id = await podman.PullImageAsync(image, line => ServeLog.PullProgress(logger, spec.Name, line), cancellationToken, credentials(image))
                .ConfigureAwait(false);
            ServeLog.Pulled(logger, spec.Name, image, id.Length > ShortIdLength ? id[..ShortIdLength] : id);
        }
        catch (ImagePullException ex)
        {
            // Exit 2: the registry or the network is at fault, not the file (unless the name is wrong, which the remedy says).
            throw new EnvironmentException($"{spec.Name}: {ex.Message}", ex);
        }
    }
}
