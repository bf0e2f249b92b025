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
}
