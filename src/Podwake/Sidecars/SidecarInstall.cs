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
        CheckWrapperPath(sidecar.Wrapper);
        using (SidecarStore.Open(paths, create: true))
        {
        }

        using var directory = HostFiles.OpenDirectory(Path.GetDirectoryName(sidecar.Wrapper)!, owner: null, create: true)!;
        directory.WriteText(Path.GetFileName(sidecar.Wrapper), WrapperScript.Render(spec, paths), Executable);
    }

    /// <summary>Refuses (exit 2) a wrapper path that holds anything but a podwake wrapper: it may be the very program the wrapper stands for.</summary>
    public static void CheckWrapperPath(string wrapper)
    {
        if (IsOurs(wrapper) is false)
        {
            throw new EnvironmentException(
                $"{wrapper} exists and is not a podwake side-car wrapper (its second line is not \"{WrapperScript.Marker} ...\"); podwake does not replace it: choose another sidecar.wrapper, or move the file away");
        }
    }

    /// <summary>Removes the wrapper (only if it is podwake's) and the state folder with the list and every answer.</summary>
    public static void Uninstall(string wrapper, SidecarPaths paths)
    {
        if (IsOurs(wrapper) is true)
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

    /// <summary>True: a podwake wrapper is there; false: something else; null: nothing.</summary>
    private static bool? IsOurs(string wrapper)
    {
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
            return lines is { Length: >= 2 } && lines[1].StartsWith(WrapperScript.Marker, StringComparison.Ordinal);
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }
}
