namespace Podwake.Specs;

/// <summary>
/// A unix stream socket a port listens on instead of an IP address: a file path (<c>/run/web.sock</c>) or a name in
/// Linux's abstract namespace (<c>@web</c>), with the file's permissions as systemd.socket's <c>SocketMode=</c>,
/// <c>SocketUser=</c> and <c>SocketGroup=</c> set them.
/// </summary>
/// <param name="Path">As written: an absolute path, or <c>@NAME</c> for the abstract namespace.</param>
/// <param name="Mode">The socket file's permission bits; systemd's default is 0666.</param>
/// <param name="User">The socket file's owner (<c>owner: USER[:GROUP]</c>); null: the process's own.</param>
/// <param name="Group">The socket file's group; null: the process's own.</param>
internal sealed record UnixListen(string Path, int Mode = UnixListen.DefaultMode, string? User = null, string? Group = null)
{
    /// <summary>systemd.socket(5)'s SocketMode= default.</summary>
    public const int DefaultMode = 0x1B6; // 0666

    /// <summary>A name in the abstract namespace: no file, no permissions, reachable from the whole network namespace.</summary>
    public bool IsAbstract => Path.StartsWith('@');

    /// <summary><c>0660</c>: the mode as <c>mode:</c> and <c>SocketMode=</c> write it.</summary>
    public string ModeText => "0" + Convert.ToString(Mode, 8).PadLeft(3, '0');

    /// <summary><c>user:group</c>, <c>user</c> or <c>:group</c> as written in <c>owner:</c>; null when neither is set.</summary>
    public string? OwnerText => (User, Group) switch
    {
        (null, null) => null,
        (_, null) => User,
        _ => $"{User}:{Group}",
    };

}
