namespace Podwake.Units;

/// <summary>
/// The files conmon writes for a deployed service's container, in the container unit's runtime directory
/// (<c>RuntimeDirectory=podwake-NAME</c>, i.e. <c>%t/podwake-NAME</c>). The unit reads conmon's PID from one
/// (Type=forking); <c>podwake activate</c> reads the container's PID from the other.
/// </summary>
/// <param name="Directory">The runtime directory: under <c>%t</c> in a unit, or with <c>%t</c> resolved.</param>
internal sealed record ContainerRunFiles(string Directory)
{
    public string ConmonPidFile => $"{Directory}/conmon.pid";

    public string ContainerPidFile => $"{Directory}/container.pid";

    /// <summary>The name systemd's <c>RuntimeDirectory=</c> takes (relative to <c>%t</c>).</summary>
    public static string DirectoryName(string service) => $"podwake-{service}";

    /// <summary>
    /// The lock deploy holds while it swaps the container (<c>Host.ContainerSwapLock</c>): beside the runtime directory,
    /// not in it, since systemd removes that directory whenever the container unit stops.
    /// </summary>
    public static string SwapLockFile(string service, string runtimeRoot) => $"{runtimeRoot}/{DirectoryName(service)}.lock";

    /// <summary>The files of <paramref name="service"/> under <paramref name="runtimeRoot"/> (<c>%t</c>, <c>/run</c>, <c>/run/user/UID</c>).</summary>
    public static ContainerRunFiles For(string service, string runtimeRoot) => new($"{runtimeRoot}/{DirectoryName(service)}");
}
