using System.Globalization;
using Podwake.Host;

namespace Podwake.Deploy;

/// <summary>
/// The places root writes into for a <c>run_as:</c> service, checked before anything changes: each directory below the
/// home that deploy uses must be a real directory owned by the user, never a symbolic link (a link from
/// <c>~/.config/systemd/user</c> to <c>/etc/systemd/system</c> would otherwise get the user a unit loaded by root).
/// </summary>
/// <remarks>
/// The home is the passwd database's and is resolved once, links included (an administrator may well have linked
/// <c>/home/u</c> elsewhere; only root can change that link); below it nothing is followed, at this check and at every
/// write (<see cref="ConfinedDirectory"/>), so a link made after the check is refused as well.
/// </remarks>
internal static class UserHome
{
    /// <summary>Below the home: the unit directory, the spec copies, podman's configuration, and their parents.</summary>
    public static readonly IReadOnlyList<string> Directories =
        [".config", ".config/systemd", ".config/systemd/user", ".config/podwake", ".config/podwake/services", ".config/containers"];

    /// <exception cref="UnsafePathException">A directory is a link, not a directory, or not the user's.</exception>
    /// <exception cref="EnvironmentException">The home does not exist.</exception>
    public static void Check(UnixUser user)
    {
        if (!Directory.Exists(user.Home))
        {
            throw new EnvironmentException(
                $"the home of {user.Name}, {user.Home}, does not exist, and run_as: services live there (~/.config/systemd/user); "
                + $"create it (mkhomedir_helper {user.Name}) or give {user.Name} a home (usermod --home DIR --move-home {user.Name})");
        }

        using (var home = ConfinedDirectory.OpenRoot(user.Home, user, ownedByOwner: true, $"~{user.Name}"))
        {
            foreach (var directory in Directories)
            {
                using var checkedDirectory = home.Open(directory);
            }
        }

        if (Directory.Exists(HostFiles.RuntimeRoot))
        {
            using var runtimeRoot = ConfinedDirectory.OpenRoot(HostFiles.RuntimeRoot, user, ownedByOwner: true);
            using var runtime = runtimeRoot.Open(user.Uid.ToString(CultureInfo.InvariantCulture));
        }
    }
}
