using System.Text.Json;
using Podwake.Control;
using Podwake.Host;
using Podwake.Updates;

namespace Podwake.Deploy;

/// <summary>
/// The last update of a deployed service, for <c>podwake status</c> while no activator runs: <c>update-NAME.json</c>
/// beside the activator's last state (<see cref="RuntimePaths"/> of the service's user), written by <c>podwake update</c>.
/// </summary>
internal static class LastUpdateRecord
{
    public static string PathOf(RuntimePaths paths, string service) => Path.Combine(paths.Directory, $"update-{service}.json");

    /// <summary>The runtime paths of the user a deployed service runs as.</summary>
    public static RuntimePaths PathsOf(DeployTarget target) =>
        target.Rootless ? RuntimePaths.ForUser(target.Manager.RuntimeDirectory) : RuntimePaths.ForRoot;

    public static async Task WriteAsync(DeployTarget target, UpdateResult result, CancellationToken cancellationToken)
    {
        var text = JsonSerializer.Serialize(new List<UpdateResult> { result }, ControlJsonContext.Default.ListUpdateResult);
        await HostFiles.WriteAtomicallyAsync(PathOf(PathsOf(target), result.Service), text, target.User, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The last update, or null when there was none (or it cannot be read).</summary>
    public static UpdateResult? Read(RuntimePaths paths, string service)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(PathOf(paths, service)), ControlJsonContext.Default.ListUpdateResult)?.LastOrDefault();
        }
        catch (Exception ex) when (ex is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
