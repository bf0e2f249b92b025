using Podwake.Host;
using Podwake.Units;

namespace Podwake.Deploy;

/// <summary>
/// The units deploy keeps in a manager beside the services' own, for the manager as a whole (the periodic update's
/// timer, the metrics socket): written when their text changed, removed with what triggers them.
/// </summary>
internal static class ManagerUnits
{
    /// <summary>Writes each unit whose file differs from its text, then reloads the manager once if any was; the names written.</summary>
    public static async Task<IReadOnlyList<string>> WriteChangedAsync(DeployTarget target, IEnumerable<GeneratedUnit> units, CancellationToken cancellationToken)
    {
        var written = new List<string>();
        foreach (var unit in units)
        {
            var path = Path.Combine(target.Manager.UnitDirectory, unit.Name);
            var text = unit.File.ToString();
            if (HostFiles.ReadOrNull(path, target.User) == text)
            {
                continue;
            }

            await HostFiles.WriteAtomicallyAsync(path, text, target.User, cancellationToken).ConfigureAwait(false);
            written.Add(unit.Name);
        }

        if (written.Count > 0)
        {
            await target.Systemctl.RunAsync(["daemon-reload"], cancellationToken).ConfigureAwait(false);
        }

        return written;
    }

    /// <summary>Disables and stops <paramref name="trigger"/>, deletes the files of <paramref name="units"/> and reloads the manager.</summary>
    public static async Task RemoveAsync(DeployTarget target, string trigger, IReadOnlyList<string> units, CancellationToken cancellationToken)
    {
        var systemctl = target.Systemctl;
        await systemctl.RunAsync(["disable", "--now", trigger], cancellationToken).ConfigureAwait(false);
        foreach (var unit in units)
        {
            HostFiles.Delete(Path.Combine(target.Manager.UnitDirectory, unit), target.User);
        }

        await systemctl.RunAsync(["daemon-reload"], cancellationToken).ConfigureAwait(false);
    }
}
