using Podwake.Host;
using Podwake.Units;

namespace Podwake.Deploy;

/// <summary>A socket unit as installed, compared with the one deploy would write.</summary>
internal static class InstalledSocket
{
    /// <summary>The installed socket unit listens elsewhere than <paramref name="wanted"/> (a missing one has nothing to restart).</summary>
    public static bool ListenChanged(string path, UnitFile wanted, UnixUser? owner)
    {
        if (HostFiles.ReadOrNull(path, owner) is not { } text)
        {
            return false;
        }

        var installed = UnitFile.Parse(text);
        IEnumerable<string> Listens(UnitFile unit) =>
            unit.GetAll(UnitSections.Socket, UnitKeys.ListenStream).Select(v => "stream " + v)
                .Concat(unit.GetAll(UnitSections.Socket, UnitKeys.ListenDatagram).Select(v => "datagram " + v))
                .Append("bind " + unit.Get(UnitSections.Socket, UnitKeys.BindIPv6Only));
        return !Listens(installed).SequenceEqual(Listens(wanted));
    }
}
