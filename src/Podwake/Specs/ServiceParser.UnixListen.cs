using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Podwake.Specs;

/// <summary><c>mode:</c> and <c>owner:</c> of a unix socket listener, as systemd.socket's SocketMode=, SocketUser= and SocketGroup=.</summary>
internal sealed partial class ServiceParser
{
    /// <summary>The options of a unix socket listener at <paramref name="path"/>; null after reporting.</summary>
    private UnixListen? ParseUnixOptions(string path, Dictionary<string, (YamlNode Key, YamlNode Value)> entries, string context)
    {
        var ok = true;
        var mode = UnixListen.DefaultMode;
        if (entries.TryGetValue(SpecKeys.Mode, out var modeEntry))
        {
            if (path.StartsWith('@'))
            {
                Error(modeEntry.Key, $"{context}.{SpecKeys.Mode}: {path} is an abstract socket, which has no file and so no permissions (any process in this network namespace can connect); remove mode:, or listen on a path such as /run/web.sock");
                ok = false;
            }
            else if (ReadMode(modeEntry.Value, $"{context}.{SpecKeys.Mode}") is { } value)
            {
                mode = value;
            }
            else
            {
                ok = false;
            }
        }

        string? user = null;
        string? group = null;
        if (entries.TryGetValue(SpecKeys.Owner, out var ownerEntry))
        {
            if (path.StartsWith('@'))
            {
                Error(ownerEntry.Key, $"{context}.{SpecKeys.Owner}: {path} is an abstract socket, which has no file and so no owner; remove owner:, or listen on a path such as /run/web.sock");
                ok = false;
            }
            else if (ReadOwner(ownerEntry.Value, $"{context}.{SpecKeys.Owner}") is { } owner)
            {
                (user, group) = owner;
            }
            else
            {
                ok = false;
            }
        }

        return ok ? new UnixListen(path, mode, user, group) : null;
    }

    /// <summary>
    /// systemd's socket unit has one SocketMode=, SocketUser= and SocketGroup= for all its sockets, so the unix socket
    /// files of one service must agree on them (serve could differ, deploy could not: the file must mean one thing).
    /// </summary>
    private void CheckUnixOptionsAgree(List<PortSpec> ports)
    {
        var files = ports.Where(p => p.Unix is { IsAbstract: false }).ToList();
        foreach (var port in files.Skip(1))
        {
            var (first, unix) = (files[0].Unix!, port.Unix!);
            if (first.Mode != unix.Mode || first.User != unix.User || first.Group != unix.Group)
            {
                _diagnostics.Add(new Diagnostic(
                    port.Location,
                    $"ports: {unix.Path} has mode {unix.ModeText}, owner {unix.OwnerText ?? "(none)"} but {first.Path} at {files[0].Location} has mode {first.ModeText}, owner {first.OwnerText ?? "(none)"}; "
                    + "a systemd socket unit sets one SocketMode=/SocketUser=/SocketGroup= for all its sockets: give every unix socket listener of a service the same mode: and owner:"));
            }
        }
    }

    /// <summary>mode: and owner: on an IP listener: they are the socket file's, which only a unix listener has.</summary>
    private void ReportUnixOnly(Dictionary<string, (YamlNode Key, YamlNode Value)> entries, string context)
    {
        foreach (var key in (string[])[SpecKeys.Mode, SpecKeys.Owner])
        {
            if (entries.TryGetValue(key, out var entry))
            {
                Error(entry.Key, $"{context}.{key}: applies only to a unix socket listener (listen: /run/NAME.sock), whose file it sets; an IP address has no file: remove {key}:");
            }
        }
    }

    private int? ReadMode(YamlNode node, string key)
    {
        var text = ReadString(node, key, "an octal mode like \"0660\"");
        if (text is null)
        {
            return null;
        }

        if (!OctalMode().IsMatch(text))
        {
            Error(node, $"{key}: \"{text}\" is not an octal permission mode; write it as SocketMode= does, quoted, e.g. mode: \"0660\" (owner and group read-write) or \"0666\" (everyone, the default)");
            return null;
        }

        return Convert.ToInt32(text, 8);
    }

    private (string? User, string? Group)? ReadOwner(YamlNode node, string key)
    {
        var text = ReadString(node, key, "USER, USER:GROUP or :GROUP");
        if (text is null)
        {
            return null;
        }

        var colon = text.IndexOf(':', StringComparison.Ordinal);
        var user = colon < 0 ? text : text[..colon];
        var group = colon < 0 ? null : text[(colon + 1)..];
        if ((user.Length > 0 && !AccountName().IsMatch(user)) || (group is not null && !AccountName().IsMatch(group)) || (user.Length == 0 && group is null))
        {
            Error(node, $"{key}: \"{text}\" is not USER, USER:GROUP or :GROUP; use account names (up to 32 lowercase letters, digits, '_' and '-', starting with a letter or '_') or numeric ids, e.g. owner: www-data:www-data");
            return null;
        }

        return (user.Length == 0 ? null : user, group);
    }

    /// <summary>0000 to 0777, with or without the leading 0; no setuid, setgid or sticky bit, which mean nothing on a socket.</summary>
    [GeneratedRegex(@"^0?[0-7]{3}\z")]
    private static partial Regex OctalMode();

    /// <summary>A user or group name as useradd(8) takes it, or a numeric id.</summary>
    [GeneratedRegex(@"^([a-z_][a-z0-9_-]{0,31}|[0-9]{1,10})\z")]
    private static partial Regex AccountName();
}
