using Podwake.Host;
using Podwake.Specs;

namespace Podwake.Sidecars;

/// <summary>What a side-car service puts on the host besides containers: the wrapper and the state folder (serve and deploy alike).</summary>
internal static class SidecarInstall
{
    private static readonly UnixFileMode Executable = ConfinedDirectory.DefaultFileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>Creates the state folder and (re)writes the wrapper; a file at the wrapper's path that is not a podwake wrapper is never replaced.</summary>
    /// <exception cref="EnvironmentException">The wrapper's path holds something else: the message says what to do.</exception>
    public static void Install(ServiceSpec spec, SidecarPaths paths)
    {
        var sidecar = spec.Sidecar ?? throw new ArgumentException($"service {spec.Name} has no sidecar: section", nameof(spec));
        CheckWrapperPath(sidecar.Wrapper, spec.Name);
        using (SidecarStore.Open(paths, create: true))
        {
        }

        using var directory = HostFiles.OpenDirectory(Path.GetDirectoryName(sidecar.Wrapper)!, owner: null, create: true)!;
        directory.WriteText(Path.GetFileName(sidecar.Wrapper), WrapperScript.Render(spec, paths), Executable);
    }

    /// <summary>
    /// Refuses (exit 2) a wrapper path that holds anything but a podwake wrapper (it may be the very program the wrapper
    /// stands for) or, given <paramref name="service"/>, another service's wrapper: replacing it sent that service's
    /// callers to this one's image and state folder.
    /// </summary>
    public static void CheckWrapperPath(string wrapper, string? service = null)
    {
        var ours = IsOurs(wrapper, out var owner);
        if (ours is false)
        {
            throw new EnvironmentException(
                $"{wrapper} exists and is not a podwake side-car wrapper (its second line is not \"{WrapperScript.Marker} ...\"); podwake does not replace it: choose another sidecar.wrapper, or move the file away");
        }

        if (ours is true && service is not null && owner is not null && owner != service)
        {
            throw new EnvironmentException(
                $"{wrapper} is the side-car wrapper of service {owner}; a wrapper calls one service, so podwake does not replace it: choose another sidecar.wrapper for {service}, or undeploy (or stop serving) {owner} and remove the file");
        }
    }

    /// <summary>Removes the wrapper (only if it is podwake's) and the state folder with the list and every answer.</summary>
    public static void Uninstall(string wrapper, SidecarPaths paths)
    {
        // Another service's wrapper at the path (that service's now) stays.
        if (IsOurs(wrapper, out var owner) is true && (owner is null || owner == Path.GetFileName(paths.Directory)))
        {
            using var directory = HostFiles.OpenDirectory(Path.GetDirectoryName(wrapper)!, owner: null, create: false);
            directory?.Delete(Path.GetFileName(wrapper));
        }

        using (var parent = HostFiles.OpenDirectory(Path.GetDirectoryName(paths.Directory)!, owner: null, create: false))
        {
            if (parent is null)
            {
                return;
            }

            using (var root = parent.Open(Path.GetFileName(paths.Directory)))
            {
                if (root is null)
                {
                    return;
                }

                foreach (var folder in new[] { SidecarPaths.CallsFolder, SidecarPaths.KeysFolder, SidecarPaths.StatusFolder })
                {
                    using (var sub = root.Open(folder))
                    {
                        // Whatever a caller left there (files, folders, links) goes; nothing is followed.
                        foreach (var name in sub?.Names() ?? [])
                        {
                            if (!sub!.RemoveEmptyDirectory(name))
                            {
                                sub.Delete(name);
                            }
                        }
                    }

                    root.RemoveEmptyDirectory(folder);
                }

                root.Delete(SidecarPaths.TimestampFile);
            }

            parent.RemoveEmptyDirectory(Path.GetFileName(paths.Directory));
        }
    }

    /// <summary>True: a podwake wrapper is there (of service <paramref name="owner"/>, when its line names one); false: something else; null: nothing.</summary>
    private static bool? IsOurs(string wrapper, out string? owner)
    {
        owner = null;
        using var directory = HostFiles.OpenDirectory(Path.GetDirectoryName(wrapper)!, owner: null, create: false);
        if (directory?.Stat(Path.GetFileName(wrapper)) is not { } stat)
        {
            return null;
        }

        if (!stat.IsRegularFile)
        {
            return false;
        }

        try
        {
            var head = directory.ReadText(Path.GetFileName(wrapper), 1024 * 1024);
            var lines = head?.Split('\n', 3);
            if (lines is not { Length: >= 2 } || !lines[1].StartsWith(WrapperScript.Marker, StringComparison.Ordinal))
            {
                return false;
            }

            // "# podwake side-car wrapper for service NAME; ..." (WrapperScript.Render).
            var named = lines[1][WrapperScript.Marker.Length..];
            const string For = " for service ";
            if (named.StartsWith(For, StringComparison.Ordinal) && named.IndexOf(';', StringComparison.Ordinal) is var end and > 0)
            {
                owner = named[For.Length..end];
            }

            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}
