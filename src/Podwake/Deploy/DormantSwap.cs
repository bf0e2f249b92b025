using Podwake.Activation;
using Podwake.Host;
using Podwake.Podman;
using Podwake.Specs;
using Podwake.Units;

namespace Podwake.Deploy;

/// <summary>
/// The update of a dormant deployed service: its new container is proved as a wake would use it (started with no
/// traffic, gated on <c>ready:</c> within <c>ready.timeout</c>, stopped), then deploy's own container is created on the
/// new image and swapped in under <see cref="ContainerSwapLock"/>, as a redeploy swaps one. Not ready: the candidate is
/// removed and the old container never left (a rollback).
/// </summary>
/// <remarks>
/// The proof runs a separate candidate (<see cref="CandidateContainer"/>), never the service's container or its unit,
/// so a connection that arrives meanwhile wakes the old container as usual and is served; the swap lock is held only
/// for the renames (a wake in that window waits for it, held, and then wakes the new container).
/// </remarks>
internal sealed class DormantSwap(ServiceSpec spec, DeployTarget target, TimeProvider time)
{
    /// <summary>Null: the service is awake (the activator must take the update); "": swapped in; else why it rolled back.</summary>
    /// <param name="imageId">The new image: the candidate runs it by ID, and the service's tag is moved to it only once it proved ready.</param>
    public async Task<string?> RunAsync(string imageId, CancellationToken cancellationToken)
    {
        if (await IsAwakeAsync(cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        var podman = target.Podman;
        var runtime = target.Manager.RuntimeDirectory;
        var create = DeployedContainer.CreateCommand(spec, target.Manager, target.Rootless);
        var candidateWords = CandidateContainer.Words(spec, DeployedContainer.CreateCommand(spec with { Image = imageId }, target.Manager, target.Rootless), runtime, imageId);
        await CandidateContainer.CreateAsync(podman, spec, candidateWords, runtime, target.User, cancellationToken)
            .ConfigureAwait(false);
        WakeOutcome outcome;
        using (var candidate = new UpdateCandidate(spec, podman, target.Rootless, time))
        {
            try
            {
                outcome = await new WakeAttempt(candidate, ActivationOptions.From(spec), new RestartRule(RestartPolicy.No), time)
                    .RunAsync(1, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                await candidate.StopAsync(null, CancellationToken.None).ConfigureAwait(false);
                await CandidateContainer.RemoveAsync(podman, spec.Name, runtime, target.User, CancellationToken.None).ConfigureAwait(false);
            }
        }

        if (!outcome.IsReady)
        {
            return outcome.Reason;
        }

        // Proved: the tag names it now, and deploy's own container is created on it beside the old one (as a redeploy does).
        await DeployedContainer.TagAsync(podman, imageId, spec.Image!, cancellationToken).ConfigureAwait(false);
        var next = CandidateContainer.Name(spec.Name);
        var words = SpecHash.Labelled(create, SpecHash.Of(create, imageId));
        words[words.IndexOf("--name") + 1] = next;
        (await podman.RunAsync(words.Skip(1), cancellationToken).ConfigureAwait(false)).ThrowIfFailed($"create the new container of {spec.Name}");
        var previous = $"{spec.ContainerName}.previous";
        using (await ContainerSwapLock.AcquireForSwapAsync(ContainerRunFiles.SwapLockFile(spec.Name, runtime), target.User, cancellationToken, time).ConfigureAwait(false))
        {
            if (await IsAwakeAsync(CancellationToken.None).ConfigureAwait(false))
            {
                // It woke during the proof: the old container serves; the activator takes the update over.
                await podman.RemoveContainerAsync(next, CancellationToken.None).ConfigureAwait(false);
                return null;
            }

            await SwapAsync(podman, next, previous).ConfigureAwait(false);
        }

        await podman.RemoveContainerAsync(previous, CancellationToken.None).ConfigureAwait(false);
        return "";
    }

    /// <summary>Renames the old container aside and the new one into place; on a failure the old one is put back.</summary>
    private async Task SwapAsync(TargetPodman podman, string next, string previous)
    {
        var none = CancellationToken.None;
        await podman.RemoveContainerAsync(previous, none).ConfigureAwait(false);

        // The old container may be gone (removed with its image behind podwake's back): then there is nothing to set aside.
        var hadOld = await podman.ContainerIdAsync(spec.ContainerName, none).ConfigureAwait(false) is not null;
        if (hadOld)
        {
            (await podman.RunAsync(["rename", spec.ContainerName, previous], none).ConfigureAwait(false)).ThrowIfFailed($"set the old container of {spec.Name} aside");
        }

        var renamed = await podman.RunAsync(["rename", next, spec.ContainerName], none).ConfigureAwait(false);
        if (!renamed.Succeeded)
        {
            if (hadOld)
            {
                await podman.RunAsync(["rename", previous, spec.ContainerName], none).ConfigureAwait(false);
            }

            await podman.RemoveContainerAsync(next, none).ConfigureAwait(false);
            renamed.ThrowIfFailed($"rename the new container of {spec.Name}");
        }
    }

    /// <summary>The activator runs (a wake, or the container unit started by its Wants=).</summary>
    private async Task<bool> IsAwakeAsync(CancellationToken cancellationToken)
    {
        var systemctl = target.Systemctl;
        foreach (var unit in new[] { UnitGenerator.ActivatorUnitName(spec.Name), UnitGenerator.ContainerUnitName(spec.Name) })
        {
            if (await systemctl.ActiveStateAsync(unit, cancellationToken).ConfigureAwait(false) is not ("inactive" or "failed"))
            {
                return true;
            }
        }

        return false;
    }
}
