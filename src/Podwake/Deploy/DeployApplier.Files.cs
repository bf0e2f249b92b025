using Podwake.Host;
using Podwake.Podman;
using Podwake.Systemd;

namespace Podwake.Deploy;

/// <content>
/// The steps of a service's deploy that touch files and units: the unit files and spec copy written with their undo,
/// a stray container of an interrupted deploy removed, a socket unit (re)started.
/// </content>
internal sealed partial class DeployApplier
{
    /// <summary>
    /// Writes (or removes) the changed files and reloads each manager that got a changed unit. The undo puts every
    /// file back byte for byte (or removes one that was new) and reloads again.
    /// </summary>
    private static async Task WriteFilesAsync(ServicePlan service, DeployJournal journal, CancellationToken cancellationToken)
    {
        var target = service.Target;
        var written = new List<(PlannedFile File, string? Old, UnixUser? Owner)>();
        journal.Undo($"restore the files of {service.Spec.Name}", async () =>
        {
            foreach (var (file, old, owner) in Enumerable.Reverse(written))
            {
                if (old is null)
                {
                    HostFiles.Delete(file.Path, owner);
                }
                else
                {
                    await HostFiles.WriteAtomicallyAsync(file.Path, old, owner, CancellationToken.None).ConfigureAwait(false);
                }
            }

            foreach (var manager in written.Where(w => w.File.IsUnit).Select(w => w.File.Manager!).Distinct())
            {
                (await new Systemctl(manager).RunAsync(["daemon-reload"], CancellationToken.None).ConfigureAwait(false)).ThrowIfFailed("reload systemd's units");
            }
        });

        foreach (var file in service.Files.Where(f => f.Changes))
        {
            var owner = file.Manager == target.Manager ? target.User : null;
            written.Add((file, HostFiles.ReadOrNull(file.Path, owner), owner));
            if (file.Change == FileChange.Remove)
            {
                HostFiles.Delete(file.Path, owner);
            }
            else
            {
                await HostFiles.WriteAtomicallyAsync(file.Path, file.Content!, owner, cancellationToken).ConfigureAwait(false);
            }
        }

        foreach (var manager in service.Files.Where(f => f is { Changes: true, IsUnit: true }).Select(f => f.Manager!).Distinct())
        {
            (await new Systemctl(manager).RunAsync(["daemon-reload"], cancellationToken).ConfigureAwait(false)).ThrowIfFailed("reload systemd's units");
        }
    }

    /// <summary>
    /// A leftover of an interrupted deploy of podwake's own (it carries the spec-hash label) is removed; a container of
    /// that name that podwake did not make is someone else's and stops the deploy, untouched.
    /// </summary>
    private static async Task RemoveStrayAsync(TargetPodman podman, string name, CancellationToken cancellationToken)
    {
        var label = await podman.ContainerLabelAsync(name, SpecHash.Label, cancellationToken).ConfigureAwait(false);
        if (label is null)
        {
            return;
        }

        if (label.Length == 0)
        {
            throw new EnvironmentException($"a container named {name} that podwake did not create is in the way; remove or rename it (podman rm {name}) and deploy again");
        }

        await podman.RemoveContainerAsync(name, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Enabled and listening; restarted only when it listens elsewhere now (that drops its queued connections). The undo
    /// stops (with <paramref name="started"/>) and disables a socket this deploy brought up, or restarts one it restarted
    /// once the old unit is back.
    /// </summary>
    private static async Task StartSocketAsync(
        Systemctl systemctl, string socket, bool listenChanged, string[] started, DeployJournal journal, CancellationToken cancellationToken)
    {
        var none = CancellationToken.None;
        var enabled = await systemctl.RunAsync(["is-enabled", socket], cancellationToken).ConfigureAwait(false);
        if (enabled.Stdout.Trim() != "enabled")
        {
            journal.Undo($"disable {socket}", () => systemctl.RunAsync(["disable", socket], none));
            (await systemctl.RunAsync(["enable", socket], cancellationToken).ConfigureAwait(false)).ThrowIfFailed($"enable {socket}");
        }

        var state = await systemctl.ActiveStateAsync(socket, cancellationToken).ConfigureAwait(false);
        if (state == "active" && listenChanged)
        {
            journal.RestartAfterUndo($"restart {socket} on its old addresses", async () =>
            {
                await systemctl.RunAsync(["reset-failed", socket], none).ConfigureAwait(false);
                (await systemctl.RunAsync(["restart", socket], none).ConfigureAwait(false)).ThrowIfFailed($"restart {socket}");
            });
            (await systemctl.RunAsync(["restart", socket], cancellationToken).ConfigureAwait(false)).ThrowIfFailed($"restart {socket}");
        }
        else if (state != "active")
        {
            journal.Undo($"stop {socket}", async () =>
            {
                await systemctl.RunAsync(["stop", socket, .. started], none).ConfigureAwait(false);
                await systemctl.RunAsync(["reset-failed", socket, .. started], none).ConfigureAwait(false);
            });
            await systemctl.StartAsync(socket, cancellationToken).ConfigureAwait(false);
        }
    }
}
