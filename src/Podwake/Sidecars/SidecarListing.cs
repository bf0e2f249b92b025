using Podwake.Podman;

namespace Podwake.Sidecars;

/// <summary>The keys in a side-car service's list with their containers' states, read without taking the lock (a reader never changes anything).</summary>
internal static class SidecarListing
{
    public static Task<IReadOnlyList<SidecarKeyStatus>> ReadAsync(string service, SidecarPaths paths, PodmanClient podman, CancellationToken cancellationToken) =>
        ReadAsync(service, paths, () => podman.ListContainersAsync($"{ContainerLabels.Service}={service}", cancellationToken));

    /// <param name="list">The service's containers (those labelled <c>io.podwake.service=NAME</c>), however podman is reached.</param>
    public static async Task<IReadOnlyList<SidecarKeyStatus>> ReadAsync(string service, SidecarPaths paths, Func<Task<IReadOnlyList<ContainerSummary>>> list)
    {
        using var store = SidecarStore.Open(paths, create: false);
        if (store is null)
        {
            return [];
        }

        var containers = (await list().ConfigureAwait(false))
            .Where(c => c.Labels?.ContainsKey(ContainerLabels.SidecarKey) == true)
            .ToDictionary(c => c.Name, StringComparer.Ordinal);
        var keys = new List<SidecarKeyStatus>();
        foreach (var (_, text, _) in store.Entries())
        {
            if (text is null || SidecarCallFile.Parse(text, out _) is not { Key: { } key } call)
            {
                continue;
            }

            var name = SidecarNames.Container(service, key);
            var container = containers.GetValueOrDefault(name);
            var current = container?.Labels?.GetValueOrDefault(ContainerLabels.SidecarCall) == call.Id;
            keys.Add(new SidecarKeyStatus
            {
                Key = key,
                Container = name,
                State = container is null ? "missing" : current ? container.State : "replacing",
                ExitCode = container is { State: "exited" or "stopped" } ? container.ExitCode : null,
                Call = call.Id,
                CalledAt = DateTimeOffset.FromUnixTimeSeconds(call.Time),
                Foreground = call.Foreground,
                Arguments = call.Arguments,
            });
        }

        return [.. keys.OrderBy(k => k.Key, StringComparer.Ordinal)];
    }
}
