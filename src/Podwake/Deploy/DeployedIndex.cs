namespace Podwake.Deploy;

/// <summary>
/// Root's record of what it deployed where: <c>/etc/podwake/deployed/NAME</c> holds <c>system</c> or the name of the
/// user whose manager runs the service, so <c>podwake undeploy NAME</c> finds a <c>run_as:</c> service without its file.
/// </summary>
/// <remarks>Only root writes it; a user's own deploys are found in that user's <c>~/.config/podwake/services</c>.</remarks>
internal static class DeployedIndex
{
    public const string Directory = "/etc/podwake/deployed";

    /// <summary>The value for a service in the system manager.</summary>
    public const string System = "system";

    public static string PathOf(string service) => Path.Combine(Directory, service);

    /// <summary>Where root deployed <paramref name="service"/>: <c>system</c>, a user name, or null when it is not indexed.</summary>
    public static string? Read(string service) =>
        File.Exists(PathOf(service)) ? File.ReadAllText(PathOf(service)).Trim() : null;
}
