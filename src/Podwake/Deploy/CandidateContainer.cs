using Podwake.Host;
using Podwake.Podman;
using Podwake.Specs;
using Podwake.Units;

namespace Podwake.Deploy;

/// <summary>
/// The container an update proves before it becomes the service's: <c>podwake-NAME-next</c>, created from the service's
/// own <c>podman create</c> words on the new image, with two differences so that it can run while the service's own
/// container runs or wakes: its pidfiles in a directory of its own (<c>%t/podwake-NAME-next</c>; the container unit
/// reads <c>%t/podwake-NAME</c>), and, rootful, podman's default network instead of the service's kept namespace (where
/// the old container holds the ports); and no podman auto-update label.
/// </summary>
/// <remarks>
/// A proved candidate is not renamed into place: the service's container is created again with deploy's exact words
/// (<see cref="SpecHash"/> label included) and swapped in as a redeploy does, so the next <c>podwake deploy</c> keeps it
/// and the next wake goes through the container unit unchanged.
/// </remarks>
internal static class CandidateContainer
{
    public static string Name(string service) => $"podwake-{service}-next";

    /// <summary>Where its conmon writes its pidfiles, beside the container unit's runtime directory.</summary>
    public static ContainerRunFiles Files(string service, string runtimeRoot) => new($"{runtimeRoot}/podwake-{service}-next");

    /// <summary>The candidate's create words (with the hash label) from the service's own (<paramref name="create"/>, without it).</summary>
    public static List<string> Words(ServiceSpec spec, IReadOnlyList<string> create, string runtimeRoot, string imageId)
    {
        var words = create.ToList();

        // Only the options, never the container's own arguments after the image.
        var options = words.Count - 1 - (spec.Command?.Count ?? 0);
        var files = Files(spec.Name, runtimeRoot);
        Replace(words, options, "--name", Name(spec.Name));
        Replace(words, options, "--conmon-pidfile", files.ConmonPidFile);
        Replace(words, options, "--pidfile", files.ContainerPidFile);
        var network = words.IndexOf("--network");
        if (network >= 0 && network < options)
        {
            words.RemoveRange(network, 2);
            options -= 2;
        }

        // It runs the new image by ID (the tag moves to it once it proved ready), which podman refuses beside
        // podman auto-update's label (it wants a fully-qualified name); a candidate is never auto-updated anyway.
        var autoUpdate = words.FindIndex(w => w.StartsWith(UnitGenerator.AutoUpdateLabel + "=", StringComparison.Ordinal));
        if (autoUpdate > 0 && autoUpdate < options && words[autoUpdate - 1] == "--label")
        {
            words.RemoveRange(autoUpdate - 1, 2);
        }

        return SpecHash.Labelled(words, SpecHash.Of(words, imageId));
    }

    /// <summary>Creates the candidate (a leftover one of podwake's is removed first).</summary>
    public static async Task CreateAsync(TargetPodman podman, ServiceSpec spec, IReadOnlyList<string> words, string runtimeRoot, UnixUser? owner, CancellationToken cancellationToken)
    {
        await RemoveAsync(podman, spec.Name, runtimeRoot, owner, cancellationToken).ConfigureAwait(false);
        HostFiles.CreateDirectories(Files(spec.Name, runtimeRoot).Directory, owner);
        (await podman.RunAsync(words.Skip(1), cancellationToken).ConfigureAwait(false)).ThrowIfFailed($"create the update candidate of {spec.Name}");
    }

    /// <summary>
    /// Removes the candidate if podwake made it, and its pidfiles' directory; one podwake did not make is in the way (an
    /// error naming it).
    /// </summary>
    public static async Task RemoveAsync(TargetPodman podman, string service, string runtimeRoot, UnixUser? owner, CancellationToken cancellationToken)
    {
        var name = Name(service);
        var label = await podman.ContainerLabelAsync(name, SpecHash.Label, cancellationToken).ConfigureAwait(false);
        var files = Files(service, runtimeRoot);
        if (label is null)
        {
            RemoveFiles(files, owner);
            return;
        }

        if (label.Length == 0)
        {
            throw new EnvironmentException($"a container named {name} that podwake did not create is in the way; remove or rename it (podman rm {name}) and run podwake update again");
        }

        await podman.RemoveContainerAsync(name, cancellationToken).ConfigureAwait(false);
        RemoveFiles(files, owner);
    }

    /// <summary>The candidate's pidfiles and their directory (undeploy too).</summary>
    public static void RemoveFiles(ContainerRunFiles files, UnixUser? owner)
    {
        if (Directory.Exists(files.Directory))
        {
            HostFiles.Delete(files.ConmonPidFile, owner);
            HostFiles.Delete(files.ContainerPidFile, owner);
            HostFiles.RemoveEmptyDirectory(files.Directory, owner);
        }
    }

    private static void Replace(List<string> words, int options, string option, string value)
    {
        var at = words.IndexOf(option);
        if (at < 0 || at + 1 >= options)
        {
            throw new InvalidOperationException($"the create command has no {option}");
        }

        words[at + 1] = value;
    }
}
