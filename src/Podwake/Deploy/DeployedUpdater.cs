using Podwake.Host;
using Podwake.Podman;
using Podwake.Specs;
using Podwake.Updates;

namespace Podwake.Deploy;

/// <summary>
/// <c>podwake update</c> for deployed services (the systemd runtime): per service, under <see cref="ServiceUpdateLock"/>,
/// check the image (<see cref="ImageCheck"/>), pull as the service's user when needed, then replace the container. A
/// dormant service's new container is proved and swapped in here (<see cref="DormantSwap"/>); a running one is
/// handed to its activator, which starts the new container beside the old one (<see cref="RunningHandover"/>).
/// </summary>
internal sealed class DeployedUpdater
{
    private readonly UnixUser _me;
    private readonly TextWriter _warnings;
    private readonly TimeProvider _time;

    private DeployedUpdater(UnixUser me, TextWriter warnings, TimeProvider time)
    {
        _me = me;
        _warnings = warnings;
        _time = time;
    }

    /// <summary>The updater for whoever runs this process: root updates every deployed service, a user their own.</summary>
    /// <param name="warnings">Where a service that cannot be read (a broken spec copy, a vanished user) is reported and skipped.</param>
    public static async Task<DeployedUpdater> ForCallerAsync(TextWriter warnings, TimeProvider time, CancellationToken cancellationToken) =>
        new(await UnixUser.CurrentAsync(cancellationToken).ConfigureAwait(false), warnings, time);

    /// <summary>
    /// A result per deployed service asked for (<see cref="UpdateRequest.Services"/>; empty: every one with <c>update:</c>
    /// set). A name this caller has not deployed gets no result (a serve may run it).
    /// </summary>
    public async Task<IReadOnlyList<UpdateResult>> UpdateAsync(UpdateRequest request, IRegistryDigests registry, CancellationToken cancellationToken)
    {
        var services = await DeployedServices.ForCallerAsync(_me, line => _warnings.WriteLine("podwake: " + line), cancellationToken).ConfigureAwait(false);
        var results = new List<UpdateResult>();
        foreach (var service in services)
        {
            var named = request.Services.Contains(service.Spec.Name, StringComparer.Ordinal);
            if (request.Services.Count > 0 && !named)
            {
                continue;
            }

            if (service.Spec.Update == UpdatePolicy.None || service.Spec.Build is not null)
            {
                if (named)
                {
                    results.Add(Result(service.Spec, UpdateOutcome.Skipped, reason: service.Spec.Kube is not null
                        ? "it is a pod: service, whose images podwake does not update; pull or build them with podman and run podwake deploy again, which replays the pod"
                        : service.Spec.Build is not null
                        ? "its image is built from build: (podwake deploy builds it); update: applies to registry and local images"
                        : "it has update: none; set update: registry or update: local in its service file and deploy it again to let podwake update it"));
                }

                continue;
            }

            var result = await UpdateOneAsync(service, request.DryRun, registry, cancellationToken).ConfigureAwait(false);
            if (!request.DryRun)
            {
                await RecordAsync(service.Target, result, cancellationToken).ConfigureAwait(false);
            }

            results.Add(result);
        }

        return results;
    }

    private async Task<UpdateResult> UpdateOneAsync(DeployedSpec service, bool dryRun, IRegistryDigests registry, CancellationToken cancellationToken)
    {
        var (spec, target) = (service.Spec, service.Target);
        var podman = target.Podman;
        ServiceUpdateLock updateLock;
        try
        {
            updateLock = ServiceUpdateLock.Acquire(spec.Name, target.Manager.RuntimeDirectory, target.User);
        }
        catch (Exception ex) when (ex is EnvironmentException or IOException)
        {
            return Result(spec, UpdateOutcome.Failed, reason: ex.Message);
        }

        using (updateLock)
        {
            ImageCheckResult check;
            string? containerImage;
            try
            {
                containerImage = await DeployedContainer.ImageIdAsync(podman, spec.ContainerName, cancellationToken).ConfigureAwait(false);
                check = await ImageCheck.CheckAsync(spec.Image!, spec.Update, containerImage,
                    (image, ct) => DeployedContainer.InspectImageAsync(podman, image, ct), registry, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is RegistryCheckException or InvalidOperationException or EnvironmentException)
            {
                return Result(spec, UpdateOutcome.Failed, reason: ex.Message);
            }

            if (!check.Changed)
            {
                return Result(spec, UpdateOutcome.UpToDate, check.CurrentDigest, check.AvailableDigest);
            }

            if (dryRun)
            {
                return Result(spec, UpdateOutcome.WouldUpdate, check.CurrentDigest, check.AvailableDigest);
            }

            try
            {
                // The registry's image is pulled by its digest and the tag moves to it only once it proved ready: an
                // update killed half-way, or a rollback, leaves the tag (which a redeploy or a re-created container
                // uses) on the old image, as serve's update does.
                var candidateImage = check.NeedsPull ? ImageCheck.Pinned(spec.Image!, check.AvailableDigest) : spec.Image!;
                if (check.NeedsPull)
                {
                    // As deploy pulls: podman's CLI as the service's user, into that user's store (their auth file),
                    // podman's steps a line each (on stderr: stdout is the result lines), a failure naming the registry.
                    var pulled = await podman.RunAsync(["pull", candidateImage], cancellationToken, line =>
                    {
                        if (PodmanCliOutput.IsPullStep(line))
                        {
                            _warnings.WriteLine($"{spec.Name}: {line}");
                        }
                    }).ConfigureAwait(false);
                    if (!pulled.Succeeded)
                    {
                        return Result(spec, UpdateOutcome.Failed, check.CurrentDigest, check.AvailableDigest, PodmanCliOutput.PullFailure(candidateImage, pulled.Stderr).Message);
                    }
                }

                var imageId = await podman.ImageIdAsync(candidateImage, cancellationToken).ConfigureAwait(false)
                    ?? throw new EnvironmentException($"Failed to find the image {candidateImage} in podman's store after pulling it");
                if (imageId == containerImage)
                {
                    // The pull brought the image the container runs (pushed from here, never pulled: the store knew no
                    // registry digest for it): nothing to replace; the tag names it.
                    await DeployedContainer.TagAsync(podman, imageId, spec.Image!, cancellationToken).ConfigureAwait(false);
                    return Result(spec, UpdateOutcome.UpToDate, check.AvailableDigest, check.AvailableDigest);
                }

                UpdateResult result;
                try
                {
                    result = await SwapAsync(spec, target, imageId, check, cancellationToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is ExternalCommandException or EnvironmentException or InvalidOperationException or IOException)
                {
                    result = Result(spec, UpdateOutcome.Failed, check.CurrentDigest, check.AvailableDigest, ex.Message);
                }

                if (result.Outcome != UpdateOutcome.Updated && containerImage is not null)
                {
                    // A tag that was already on the new image (update: local, or pulled by hand, or moved for the
                    // activator) names the old one again: a container re-created later is the old one, and the next
                    // update tries the new one again.
                    await DeployedContainer.TagAsync(podman, containerImage, spec.Image!, CancellationToken.None).ConfigureAwait(false);
                }

                return result;
            }
            catch (Exception ex) when (ex is ExternalCommandException or EnvironmentException or InvalidOperationException or IOException)
            {
                return Result(spec, UpdateOutcome.Failed, check.CurrentDigest, check.AvailableDigest, ex.Message);
            }
        }
    }

    /// <summary>The dormant swap, or the running activator's takeover (which starts the image the tag names).</summary>
    private async Task<UpdateResult> SwapAsync(ServiceSpec spec, DeployTarget target, string imageId, ImageCheckResult check, CancellationToken cancellationToken)
    {
        var swap = new DormantSwap(spec, target, _time);
        var why = "";
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var outcome = await swap.RunAsync(imageId, cancellationToken).ConfigureAwait(false);
            if (outcome is not null)
            {
                return outcome.Length == 0
                    ? Result(spec, UpdateOutcome.Updated, check.CurrentDigest, check.AvailableDigest)
                    : Result(spec, UpdateOutcome.RolledBack, check.CurrentDigest, check.AvailableDigest, outcome);
            }

            // Awake (before, or it woke during the proof): its activator takes the new container over. One that
            // went idle meanwhile has left: the service is dormant again, so the swap is tried again.
            await DeployedContainer.TagAsync(target.Podman, imageId, spec.Image!, cancellationToken).ConfigureAwait(false);
            if (await RunningHandover.RequestAsync(spec, target, reason => why = reason, cancellationToken).ConfigureAwait(false) is { } handed)
            {
                return handed with { From = handed.From ?? check.CurrentDigest, To = handed.To ?? check.AvailableDigest };
            }
        }

        return Result(spec, UpdateOutcome.Failed, check.CurrentDigest, check.AvailableDigest,
            $"the service is awake and its activator did not take the update ({why}); run podwake update again");
    }

    private async Task RecordAsync(DeployTarget target, UpdateResult result, CancellationToken cancellationToken)
    {
        try
        {
            await LastUpdateRecord.WriteAsync(target, result, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or EnvironmentException)
        {
            await _warnings.WriteLineAsync($"podwake: {result.Service}: Failed to record the update for podwake status: {ex.Message}").ConfigureAwait(false);
        }
    }

    private UpdateResult Result(ServiceSpec spec, UpdateOutcome outcome, string? from = null, string? to = null, string? reason = null) => new()
    {
        Service = spec.Name,
        Image = spec.Image ?? "",
        Outcome = outcome,
        From = from,
        To = to,
        Reason = reason,
        At = _time.GetUtcNow(),
    };
}
