namespace Podwake.Sidecars;

/// <summary>
/// A side-car service's state folder: the calls the wrapper records, the list of keys in effect, the answers sync
/// gives each call, the timestamp the wrapper touches; a sync pass holds an flock(2) on the folder itself, so two
/// passes never run at once (never two containers for one key). Callers see it at the same path (a container that
/// calls the wrapper has it bind-mounted there), so its location depends on the account only:
/// <c>/var/lib/podwake/sidecars/NAME</c> for root, <c>~/.local/state/podwake/sidecars/NAME</c> for anyone else
/// (<c>XDG_STATE_HOME</c> is not read: a systemd unit and a login shell would disagree on it).
/// </summary>
/// <param name="Directory">The service's state folder.</param>
internal sealed record SidecarPaths(string Directory)
{
    public const string RootBase = "/var/lib/podwake/sidecars";

    /// <summary>Below the folder: one <c>ID.call</c> per call not yet taken by sync (written by the wrapper, renamed in whole).</summary>
    public const string CallsFolder = "calls";

    /// <summary>Below the folder: one <c>KEY.call</c> per key in effect (the process list); removing one removes its container at the next sync.</summary>
    public const string KeysFolder = "keys";

    /// <summary>Below the folder: sync's answer to each call, <c>ID</c> (and <c>ID.out</c>, <c>ID.err</c> for a foreground call).</summary>
    public const string StatusFolder = "status";

    /// <summary>Touched by the wrapper after each call (and by <c>podwake sidecar remove</c>): what the .path unit and serve's watch react to.</summary>
    public const string TimestampFile = "timestamp";

    public string Calls => Path.Join(Directory, CallsFolder);

    public string Keys => Path.Join(Directory, KeysFolder);

    public string Status => Path.Join(Directory, StatusFolder);

    public string Timestamp => Path.Join(Directory, TimestampFile);

    /// <summary>The state folder of <paramref name="service"/> for an account (<paramref name="home"/> is not read for root).</summary>
    public static SidecarPaths For(string service, bool root, string home) =>
        new(root ? Path.Join(RootBase, service) : Path.Join(home, ".local", "state", "podwake", "sidecars", service));

    /// <summary>The state folder of <paramref name="service"/> for this process's account.</summary>
    public static SidecarPaths ForCurrentUser(string service) =>
        For(service, Environment.IsPrivilegedProcess, Environment.GetFolderPath(Environment.SpecialFolder.UserProfile));
}
