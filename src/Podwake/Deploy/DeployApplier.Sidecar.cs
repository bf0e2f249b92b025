using Podwake.Host;
using Podwake.Sidecars;
using Podwake.Units;

namespace Podwake.Deploy;

/// <content>
/// A <c>sidecar:</c> service's part of a deploy: no container of its own (its sync pass makes one per key), so its files,
/// the wrapper and the state folder (<see cref="SidecarInstall"/>), then its path unit enabled and started, which starts
/// the sync once (the keys already in the list run); a changed service runs the sync once more.
/// </content>
/// <remarks>
/// The image was built or pulled before (a call never pulls). A sync pass already running when deploy asks for one
/// takes the request as its own (systemd merges the start job into the running one), so a change made during a pass
/// is picked up by the next call's pass, not at once.
/// </remarks>
internal sealed partial class DeployApplier
{
    private const UnixFileMode WrapperMode = ConfinedDirectory.DefaultFileMode | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    private async Task ApplySidecarServiceAsync(ServicePlan service, DeployJournal journal, CancellationToken interrupt)
    {
        var spec = service.Spec;
        var target = service.Target;
        var install = service.Sidecar!;
        var systemctl = target.Systemctl;
        var none = CancellationToken.None;

        // The image now in the store: a build or a pull of a newer image under the same name is a change the keys' containers must follow.
        var imageId = await target.Podman.ImageIdAsync(spec.Image!, none).ConfigureAwait(false)
            ?? throw new EnvironmentException($"Failed to find the image {spec.Image} in podman's store after building or pulling it");
        var changed = service.ChangesAnything || imageId != service.ImageId;

        interrupt.ThrowIfCancellationRequested();
        await WriteFilesAsync(service, journal, none).ConfigureAwait(false);

        interrupt.ThrowIfCancellationRequested();
        InstallSidecar(service, install, journal);

        interrupt.ThrowIfCancellationRequested();
        var pathUnit = UnitGenerator.SidecarPathUnitName(spec.Name);
        var syncUnit = UnitGenerator.SidecarServiceUnitName(spec.Name);
        await systemctl.RunAsync(["reset-failed", pathUnit, syncUnit], none).ConfigureAwait(false);
        var enabled = await systemctl.RunAsync(["is-enabled", pathUnit], none).ConfigureAwait(false);
        if (enabled.Stdout.Trim() != "enabled")
        {
            journal.Undo($"disable {pathUnit}", () => systemctl.RunAsync(["disable", pathUnit], none));
            (await systemctl.RunAsync(["enable", pathUnit], none).ConfigureAwait(false)).ThrowIfFailed($"enable {pathUnit}");
        }

        interrupt.ThrowIfCancellationRequested();
        if (await systemctl.ActiveStateAsync(pathUnit, none).ConfigureAwait(false) != "active")
        {
            journal.Undo($"stop {pathUnit}", async () =>
            {
                await systemctl.RunAsync(["stop", pathUnit, syncUnit], none).ConfigureAwait(false);
                await systemctl.RunAsync(["reset-failed", pathUnit, syncUnit], none).ConfigureAwait(false);
            });

            // The path unit Wants= the sync: starting it runs one pass (the keys in the list run again).
            await systemctl.StartAsync(pathUnit, none).ConfigureAwait(false);
        }
        else if (changed)
        {
            // Not waited for: a pass lasts as long as a foreground call's container runs.
            (await systemctl.RunAsync(["start", "--no-block", syncUnit], none).ConfigureAwait(false)).ThrowIfFailed($"start {syncUnit}");
        }

        var what = changed ? $"deployed into {target.Describe()}" : "unchanged";
        await _output.WriteLineAsync($"{spec.Name}: {what}; wrapper {install.Wrapper}, state folder {install.StateDirectory}").ConfigureAwait(false);
    }

    /// <summary>
    /// The state folder and the wrapper (<see cref="SidecarInstall.Install"/>); the undo puts the old wrapper back (or
    /// removes the new one) and removes a state folder this deploy created.
    /// </summary>
    private static void InstallSidecar(ServicePlan service, SidecarInstallPlan install, DeployJournal journal)
    {
        if (!install.Changes)
        {
            return;
        }

        var paths = new SidecarPaths(install.StateDirectory);
        var oldWrapper = install.WrapperChange == FileChange.Create ? null : File.ReadAllBytes(install.Wrapper);
        journal.Undo($"put the wrapper {install.Wrapper} and state folder of {service.Spec.Name} back", () =>
        {
            if (!install.StateExists)
            {
                // A new state folder holds no call anyone waits for; Uninstall takes the new wrapper with it.
                SidecarInstall.Uninstall(install.Wrapper, paths);
            }

            using var directory = HostFiles.OpenDirectory(Path.GetDirectoryName(install.Wrapper)!, owner: null, create: false);
            if (oldWrapper is not null)
            {
                directory?.WriteBytes(Path.GetFileName(install.Wrapper), oldWrapper, WrapperMode);
            }
            else
            {
                directory?.Delete(Path.GetFileName(install.Wrapper));
            }

            return Task.CompletedTask;
        });
        SidecarInstall.Install(service.Spec, paths);
    }
}
