using Podwake.Podman;
using Podwake.Specs;

namespace Podwake.Sidecars;

/// <content>One key's container against its list entry: keep, start again, replace, or collect a foreground run's end.</content>
internal sealed partial class SidecarSync
{
    /// <summary>Makes the key's container run the entry's call; returns true when it is a foreground run still running.</summary>
    /// <param name="answers">Calls of this pass waiting for the key's outcome.</param>
    private async Task<bool> ReconcileAsync(
        SidecarStore store, string stem, SidecarCall entry, ContainerSummary? existing, List<string> answers, CancellationToken cancellationToken)
    {
        var key = entry.Key!;
        var current = existing?.Labels?.GetValueOrDefault(ContainerLabels.SidecarCall) == entry.Id;
        if (!current && !answers.Contains(entry.Id, StringComparer.Ordinal) && MayStillWait(entry))
        {
            // A call a pass took into the list but never ran nor answered (serve killed mid-pass): its caller may still wait.
            answers.Add(entry.Id);
        }

        if (current && existing!.State == "running")
        {
            AnswerAll(store, answers, SidecarAnswer.Running);
            return entry.Foreground;
        }

        if (current && existing!.State is "exited" or "stopped")
        {
            if (entry.Foreground)
            {
                await CollectForegroundAsync(store, stem, entry, existing, cancellationToken).ConfigureAwait(false);
                return false;
            }

            if (!ShouldRestart(existing.ExitCode))
            {
                return false;
            }

            try
            {
                await _podman.StartContainerAsync(existing.Name, cancellationToken).ConfigureAwait(false);
                SidecarLog.Restarted(_logger, _spec.Name, key, existing.ExitCode, _spec.Restart.ToText());
            }
            catch (Exception ex) when (ex is PodmanException or PodmanUnavailableException)
            {
                SidecarLog.RestartFailed(_logger, _spec.Name, key, ex.Message);
            }

            return false;
        }

        var create = SidecarContainer.For(_spec, entry, key, _manager);
        try
        {
            if (existing is not null)
            {
                // An earlier call's container (or one podman left half-made): the entry's call replaces it.
                await RemoveAsync(store, existing, "a later call for its key replaced it", cancellationToken).ConfigureAwait(false);
            }

            await _podman.CreateContainerAsync(create, cancellationToken).ConfigureAwait(false);
            await _podman.StartContainerAsync(create.Name, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is PodmanException or PodmanUnavailableException)
        {
            // Also podman's API gone mid-pass: the calls this pass took get their answer, not a wait until their timeout.
            await _podman.RemoveContainerAsync(create.Name, force: true, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            var message = $"podman could not run {create.Name} for key {key}: {ex.Message}";
            if (answers.Count > 0)
            {
                // A new call that cannot run does not stay in the list: its caller was told it failed.
                AnswerAll(store, answers, SidecarAnswer.Failed(message));
                store.DeleteEntry(stem);
            }
            else
            {
                SidecarLog.RestartFailed(_logger, _spec.Name, key, message);
            }

            return false;
        }

        SidecarLog.Started(_logger, _spec.Name, key, create.Name, entry.Id);
        AnswerAll(store, answers, SidecarAnswer.Running);
        return entry.Foreground;
    }

    /// <summary>A foreground run ended: its code and output go to its caller, its container and entry go.</summary>
    private async Task CollectForegroundAsync(SidecarStore store, string stem, SidecarCall entry, ContainerSummary container, CancellationToken cancellationToken)
    {
        byte[] stdout = [], stderr = [];
        try
        {
            (stdout, stderr) = await _podman.ReadOutputAsync(container.Name, MaxOutputBytes, cancellationToken).ConfigureAwait(false);
        }
        catch (PodmanException ex)
        {
            stderr = System.Text.Encoding.UTF8.GetBytes($"podwake: the output of {container.Name} could not be read: {ex.Message}\n");
        }

        // Gone before the caller hears of it: a caller that calls again at once finds the key free.
        store.DeleteEntry(stem);
        await _podman.RemoveContainerAsync(container.Name, force: true, cancellationToken).ConfigureAwait(false);
        WriteAnswer(store, entry.Id, SidecarAnswer.Exited(container.ExitCode, stdout, stderr));
        SidecarLog.ForegroundExited(_logger, _spec.Name, entry.Key!, container.ExitCode);
    }

    /// <summary>Removes a container; a foreground caller still waiting for it is told why.</summary>
    private async Task RemoveAsync(SidecarStore store, ContainerSummary container, string why, CancellationToken cancellationToken)
    {
        await _podman.RemoveContainerAsync(container.Name, force: true, cancellationToken).ConfigureAwait(false);
        if (container.Labels?.GetValueOrDefault(ContainerLabels.SidecarForeground) == "true"
            && container.Labels.GetValueOrDefault(ContainerLabels.SidecarCall) is { } call
            && SidecarCallFile.IdPattern().IsMatch(call))
        {
            WriteAnswer(store, call, SidecarAnswer.Failed($"{container.Name} was removed before it exited: {why}"));
        }
    }

    /// <summary>The call was made less than the wrapper's timeout ago (whole seconds, as the wrapper counts).</summary>
    private bool MayStillWait(SidecarCall call) =>
        _time.GetUtcNow().ToUnixTimeSeconds() - call.Time <= (long)Math.Ceiling(_spec.Sidecar!.Timeout.TotalSeconds) + 1;

    /// <summary>As the container unit's Restart= (README): 0 and 143 (a stop's SIGTERM) are clean exits.</summary>
    private bool ShouldRestart(int exitCode) => _spec.Restart switch
    {
        RestartPolicy.Always => true,
        RestartPolicy.OnFailure => exitCode is not (0 or 143),
        _ => false,
    };

    private void AnswerAll(SidecarStore store, List<string> ids, SidecarAnswer answer)
    {
        foreach (var id in ids)
        {
            WriteAnswer(store, id, answer);
        }
    }
}
