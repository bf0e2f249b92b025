using Podwake.Host;

namespace Podwake.Pods;

/// <summary>
/// The volumes of a played file's PersistentVolumeClaims, created when missing before each play (<see cref="KubePlayFile"/>
/// leaves the claim documents out: podman 4.3 refuses a claim whose volume exists, and the volume is kept on purpose).
/// </summary>
internal static class ClaimVolumes
{
    /// <param name="podman">Runs podman with the given arguments, as the caller runs it (serve's podman, deploy's target user's).</param>
    public static async Task EnsureAsync(string playedText, Func<string[], CancellationToken, Task<ExternalCommandResult>> podman, CancellationToken cancellationToken)
    {
        foreach (var claim in KubePlayFile.Claims(playedText))
        {
            if (!(await podman(["volume", "exists", claim], cancellationToken).ConfigureAwait(false)).Succeeded)
            {
                (await podman(["volume", "create", claim], cancellationToken).ConfigureAwait(false))
                    .ThrowIfFailed($"create volume {claim} (a persistentVolumeClaim of the pod file)");
            }
        }
    }
}
