namespace Podwake.Host;

/// <summary>Whether rootless podman can apply a container's resource limits on this host.</summary>
internal static class CgroupLimits
{
    /// <summary>
    /// cgroups v2 (a unified hierarchy at /sys/fs/cgroup): rootless podman sets limits there (with systemd's delegation).
    /// On v1, and on a hybrid host (v1 controllers, v2 mounted aside), rootless podman ignores them with a warning.
    /// </summary>
    public static bool RootlessCanApply => File.Exists("/sys/fs/cgroup/cgroup.controllers");

    /// <summary>The error for <c>resources:</c> on a rootless service where limits cannot be applied; null when they can.</summary>
    public static string? RootlessProblem(bool rootless, bool hasLimits, string fix) =>
        rootless && hasLimits && !RootlessCanApply
            ? $"resources: rootless podman cannot apply limits on this host (cgroups v1: no /sys/fs/cgroup/cgroup.controllers), so they would be ignored; {fix}, or remove resources:"
            : null;
}
