namespace Podwake.Units;

/// <summary>
/// The copy of a service file deploy keeps under the target manager's configuration directory (systemd's
/// <c>%E</c>: <c>/etc</c> or <c>~/.config</c>): the activator unit reads it, and its presence says the name is deployed.
/// </summary>
internal static class SpecCopy
{
    /// <summary>The directory holding the copies, under <paramref name="configDirectory"/>.</summary>
    public static string Directory(string configDirectory) => Path.Combine(configDirectory, "podwake", "services");

    /// <summary>The copy of <paramref name="service"/> under <paramref name="configDirectory"/>.</summary>
    public static string PathFor(string configDirectory, string service) => Path.Combine(Directory(configDirectory), $"{service}.yaml");

    /// <summary>The same path as a unit file names it, with the <c>%E</c> specifier.</summary>
    public static string UnitPath(string service) => $"%E/podwake/services/{service}.yaml";

    /// <summary>
    /// A <c>pod:</c> service's pod file as deploy read it, which the spec copy's <c>pod:</c> names (the activator may not
    /// read the original: a <c>run_as:</c> service's file is root's). <c>.yml</c>, not <c>.yaml</c>: every <c>*.yaml</c>
    /// there is a spec copy.
    /// </summary>
    public static string PodFileFor(string configDirectory, string service) => Path.Combine(Directory(configDirectory), $"{service}.pod.yml");

    /// <summary>What deploy played for a <c>pod:</c> service (<c>Pods.KubePlayFile</c>): replayed when it changes.</summary>
    public static string PlayFileFor(string configDirectory, string service) => Path.Combine(Directory(configDirectory), $"{service}.play.yml");

    /// <summary>
    /// A link deploy points at the conmon pidfile of a <c>pod:</c> service's service container (a path with the
    /// container's ID in it): the container unit copies the link to its <c>PIDFile=</c> at each start, so the unit stays
    /// the same whatever the ID.
    /// </summary>
    public static string ConmonPidLinkFor(string configDirectory, string service) => Path.Combine(Directory(configDirectory), $"{service}.conmon.pid");

    /// <summary><see cref="ConmonPidLinkFor"/> as the unit names it.</summary>
    public static string ConmonPidLinkUnitPath(string service) => $"%E/podwake/services/{service}.conmon.pid";
}
