using System.Globalization;

namespace Podwake.Host;

/// <summary>An account from the passwd database (<c>getent passwd</c>, so NSS sources count too).</summary>
internal sealed record UnixUser(string Name, int Uid, int Gid, string Home)
{
    /// <summary>The account, or null when there is none.</summary>
    public static async Task<UnixUser?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        var result = await ExternalCommand.RunAsync("getent", ["passwd", name], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return null;
        }

        // name:password:uid:gid:gecos:home:shell
        var fields = result.Stdout.Split('\n')[0].Split(':');
        return fields.Length >= 7
            ? new UnixUser(fields[0], int.Parse(fields[2], CultureInfo.InvariantCulture), int.Parse(fields[3], CultureInfo.InvariantCulture), fields[5])
            : null;
    }

    /// <summary>The user this process runs as.</summary>
    public static async Task<UnixUser> CurrentAsync(CancellationToken cancellationToken = default) =>
        await FindAsync(Environment.UserName, cancellationToken).ConfigureAwait(false)
        ?? new UnixUser(Environment.UserName, Environment.IsPrivilegedProcess ? 0 : -1, -1, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));

    public bool IsRoot => Uid == 0;

    /// <summary>The user's runtime directory, <c>XDG_RUNTIME_DIR</c> of its sessions and of its systemd manager.</summary>
    public string RuntimeDirectory => $"/run/user/{Uid.ToString(CultureInfo.InvariantCulture)}";
}
