using Podwake.Deploy;
using Podwake.Host;
using Podwake.Units;

namespace Podwake.Activate;

/// <content>
/// A container unit that fails to start: its failed state reset (systemd's start limit would refuse every later wake),
/// and a pod removed behind podwake's back (<c>podman pod rm -f</c>, which takes the service container with it) played
/// again from deploy's play file, exactly as deploy played it, before the unit is started again.
/// </content>
internal sealed partial class PodUnitWorkload
{
    private async Task StartOrReplayAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _systemctl.StartAsync(_unit, cancellationToken).ConfigureAwait(false);
            return;
        }
        catch (ExternalCommandException) when (!cancellationToken.IsCancellationRequested)
        {
            await _systemctl.RunAsync(["reset-failed", _unit], cancellationToken).ConfigureAwait(false);
            var podman = new TargetPodman(null);
            if (await DeployedPod.ExistsAsync(podman, _spec.Name, cancellationToken).ConfigureAwait(false))
            {
                throw;
            }

            await ReplayAsync(podman, cancellationToken).ConfigureAwait(false);
        }

        await _systemctl.StartAsync(_unit, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// The pod's containers; when the pod is gone although its unit runs (removed while it ran: systemd has not seen its
    /// service container end yet), the unit stopped, the pod played again and the unit started again first.
    /// </summary>
    private async Task<List<Member>> ReadMembersOrReplayAsync(CancellationToken cancellationToken)
    {
        var members = await ReadMembersAsync(cancellationToken).ConfigureAwait(false);
        if (members.Count > 0)
        {
            return members;
        }

        await _systemctl.StopAsync(_unit, cancellationToken).ConfigureAwait(false);
        await _systemctl.RunAsync(["reset-failed", _unit], cancellationToken).ConfigureAwait(false);
        await ReplayAsync(new TargetPodman(null), cancellationToken).ConfigureAwait(false);
        await _systemctl.StartAsync(_unit, cancellationToken).ConfigureAwait(false);
        return await ReadMembersAsync(cancellationToken).ConfigureAwait(false);
    }

    private async Task ReplayAsync(TargetPodman podman, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(PlayFile, cancellationToken).ConfigureAwait(false);
        var pidLink = SpecCopy.ConmonPidLinkFor(_systemctl.Manager.ConfigDirectory, _spec.Name);
        await DeployedPod.PlayAsync(podman, _spec.Name, PlayFile, text, pidLink, owner: null, cancellationToken).ConfigureAwait(false);
        ActivateLog.Replayed(_logger, _spec.Name, _pod, PlayFile);
    }
}
