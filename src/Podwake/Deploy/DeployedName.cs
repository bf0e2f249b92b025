using Podwake.Units;

namespace Podwake.Deploy;

/// <summary>
/// Whether a service name is deployed where this process's podman store is also used (README, "Where deploys are
/// recorded"): <c>podwake serve</c> refuses such a name, since creating its container would force-remove the deployed
/// one (<c>podwake-NAME</c>) from under its units.
/// </summary>
internal static class DeployedName
{
    /// <summary>The refusal for <paramref name="name"/> when it is deployed; null when it is not.</summary>
    public static string? Refusal(string name)
    {
        var where = Where(name);
        return where is null
            ? null
            : $"service {name} is deployed in {where}: undeploy it first (podwake undeploy {name}) or rename the service (name:) to serve it too";
    }

    private static string? Where(string name)
    {
        var home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (Environment.IsPrivilegedProcess)
        {
            if (DeployedIndex.Read(name) is { Length: > 0 } indexed)
            {
                return indexed == DeployedIndex.System ? "the system manager" : $"{indexed}'s systemd manager";
            }

            if (File.Exists(SpecCopy.PathFor("/etc", name)))
            {
                return "the system manager";
            }

            return File.Exists(SpecCopy.PathFor(Path.Combine(home.Length > 0 ? home : "/root", ".config"), name)) ? "root's systemd manager" : null;
        }

        return File.Exists(SpecCopy.PathFor(Path.Combine(home, ".config"), name)) ? $"{Environment.UserName}'s systemd manager" : null;
    }
}
