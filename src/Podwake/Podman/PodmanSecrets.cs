using Podwake.Host;
using Podwake.Specs;

namespace Podwake.Podman;

/// <summary>
/// The podman secrets a service's <c>secrets:</c> name: made from their <c>file:</c> (as <c>podwake-SERVICE.NAME</c>,
/// replaced each time, so the value is the file's now), or checked to exist. The value goes from the file to podman's
/// secret store by path: it is never in an argument, a unit or a log line.
/// </summary>
internal static class PodmanSecrets
{
    /// <param name="podman">Runs the podman CLI with these arguments (as the user whose podman runs the container).</param>
    /// <exception cref="EnvironmentException">A secret without <c>file:</c> does not exist, or podman refused to create one.</exception>
    public static async Task PrepareAsync(ServiceSpec spec, Func<IReadOnlyList<string>, CancellationToken, Task<ExternalCommandResult>> podman, CancellationToken cancellationToken)
    {
        foreach (var secret in spec.Secrets)
        {
            var name = secret.PodmanName(spec.Name);
            if (secret.File is { } file)
            {
                await podman(["secret", "rm", name], cancellationToken).ConfigureAwait(false);
                var created = await podman(["secret", "create", name, file], cancellationToken).ConfigureAwait(false);
                if (!created.Succeeded)
                {
                    throw new EnvironmentException($"{secret.Location}: podman could not create secret {name} from {file}: {created.Stderr.Trim()}");
                }
            }
            else if (!(await podman(["secret", "inspect", name], cancellationToken).ConfigureAwait(false)).Succeeded)
            {
                throw new EnvironmentException(
                    $"{secret.Location}: the podman secret {name} does not exist; create it (printf %s VALUE | podman secret create {name} -), "
                    + "or give the secret a file: podwake creates it from");
            }
        }
    }

    /// <summary>Removes the secrets podwake made for the service (the ones with <c>file:</c>); the user's own stay.</summary>
    public static async Task RemoveOwnAsync(ServiceSpec spec, Func<IReadOnlyList<string>, CancellationToken, Task<ExternalCommandResult>> podman, CancellationToken cancellationToken)
    {
        foreach (var secret in spec.Secrets.Where(s => s.File is not null))
        {
            await podman(["secret", "rm", secret.PodmanName(spec.Name)], cancellationToken).ConfigureAwait(false);
        }
    }
}
