using Microsoft.Extensions.Logging;
using Podwake.Activation;
using Podwake.Control;
using Podwake.Deploy;
using Podwake.Host;
using Podwake.Podman;
using Podwake.Specs;
using Podwake.Systemd;
using Podwake.Units;
using Podwake.Updates;

namespace Podwake.Activate;

/// <summary>
/// The update of a running deployed service, asked through the activator's control socket (<c>podwake update</c> has
/// checked and pulled the image already). The candidate container (<see cref="CandidateContainer"/>: own pidfiles,
/// rootful on podman's network, so it can run beside the old one in the service's namespace) takes over through
/// <see cref="ServiceActivator.ReplaceAsync"/>: new connections go to it once it is ready, the old run drains and its
/// container unit stops. Then deploy's own container is created again on the new image and swapped in under the swap
/// lock, so the next wake, after this activator exits idle, goes through the container unit as always. The candidate
/// serves until then and is stopped as any run is; the next update or deploy removes it.
/// </summary>
internal sealed class ActivatorUpdate(ServiceSpec spec, ServiceActivator activator, Systemctl systemctl, bool rootless, TimeProvider time, ILogger logger)
{
    /// <summary>How long the old run's open connections may take to finish before they are closed (cleanly).</summary>
    public static readonly TimeSpan Drain = TimeSpan.FromSeconds(30);

    private readonly TargetPodman _podman = new(null);

    /// <summary>The last update this activator ran, for <c>podwake status</c>.</summary>
    public UpdateResult? Last { get; private set; }

    public async Task<UpdateReport> HandleAsync(UpdateRequest request, CancellationToken cancellationToken)
    {
        if (request.Services.Count > 0 && !request.Services.Contains(spec.Name, StringComparer.Ordinal))
        {
            return new UpdateReport { Pid = Environment.ProcessId, Results = [], Unknown = request.Services };
        }

        var result = await UpdateAsync(request.DryRun, cancellationToken).ConfigureAwait(false);
        if (!request.DryRun)
        {
            Last = result;
        }

        return new UpdateReport { Pid = Environment.ProcessId, Results = [result] };
    }

    private async Task<UpdateResult> UpdateAsync(bool dryRun, CancellationToken cancellationToken)
    {
        ImageInspect? image;
        string? current;
        try
        {
            image = await DeployedContainer.InspectImageAsync(_podman, spec.Image!, cancellationToken).ConfigureAwait(false);
            current = await DeployedContainer.ImageIdAsync(_podman, spec.ContainerName, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is InvalidOperationException or EnvironmentException)
        {
            return Result(UpdateOutcome.Failed, null, ex.Message);
        }

        if (image is null)
        {
            return Result(UpdateOutcome.Failed, null, $"image {spec.Image} is not in podman's local storage: pull or build it");
        }

        var to = ImageCheck.DigestOf(image, spec.Image!) ?? "sha256:" + image.Id;
        if (image.Id == current)
        {
            return Result(UpdateOutcome.UpToDate, to);
        }

        if (dryRun)
        {
            return Result(UpdateOutcome.WouldUpdate, to);
        }

        var runtime = systemctl.Manager.RuntimeDirectory;
        var create = DeployedContainer.CreateCommand(spec, systemctl.Manager, rootless);
        try
        {
            await CandidateContainer.CreateAsync(_podman, spec, CandidateContainer.Words(spec, create, runtime, image.Id), runtime, null, cancellationToken).ConfigureAwait(false);
            var outcome = await activator.ReplaceAsync(new UpdateCandidate(spec, _podman, rootless, time), Drain).ConfigureAwait(false);
            if (!outcome.Replaced)
            {
                await CandidateContainer.RemoveAsync(_podman, spec.Name, systemctl.Manager.RuntimeDirectory, null, CancellationToken.None).ConfigureAwait(false);
                return Result(outcome.RolledBack ? UpdateOutcome.RolledBack : UpdateOutcome.Failed, to, outcome.Reason);
            }

            logger.LogInformation("{Service}: the new container serves now ({ReadyMs:0} ms to ready); swapping deploy's container onto the new image", spec.Name, outcome.ReadyMilliseconds);
            await SwapServiceContainerAsync(create, image.Id).ConfigureAwait(false);
            return Result(UpdateOutcome.Updated, to);
        }
        catch (Exception ex) when (ex is ExternalCommandException or EnvironmentException or InvalidOperationException or IOException)
        {
            return Result(UpdateOutcome.Failed, to, ex.Message);
        }
    }

    /// <summary>
    /// <c>podwake-NAME</c> again from deploy's words on the new image (stopped), the old one removed: the container unit
    /// starts the new image from the next wake on. The old one's unit was stopped after its drain.
    /// </summary>
    private async Task SwapServiceContainerAsync(List<string> create, string imageId)
    {
        var none = CancellationToken.None;
        var staged = $"{spec.ContainerName}.updated";
        var previous = $"{spec.ContainerName}.previous";
        var words = SpecHash.Labelled(create, SpecHash.Of(create, imageId));
        words[words.IndexOf("--name") + 1] = staged;
        await _podman.RemoveContainerAsync(staged, none).ConfigureAwait(false);
        (await _podman.RunAsync(words.Skip(1), none).ConfigureAwait(false)).ThrowIfFailed($"create the new container of {spec.Name}");
        using (await ContainerSwapLock.AcquireForSwapAsync(ContainerRunFiles.SwapLockFile(spec.Name, systemctl.Manager.RuntimeDirectory), null, none, time).ConfigureAwait(false))
        {
            await systemctl.RunAsync(["stop", UnitGenerator.ContainerUnitName(spec.Name)], none).ConfigureAwait(false);
            await _podman.RemoveContainerAsync(previous, none).ConfigureAwait(false);
            if (await _podman.ContainerIdAsync(spec.ContainerName, none).ConfigureAwait(false) is not null)
            {
                (await _podman.RunAsync(["rename", spec.ContainerName, previous], none).ConfigureAwait(false)).ThrowIfFailed($"set the old container of {spec.Name} aside");
            }

            (await _podman.RunAsync(["rename", staged, spec.ContainerName], none).ConfigureAwait(false)).ThrowIfFailed($"rename the new container of {spec.Name}");
        }

        await _podman.RemoveContainerAsync(previous, none).ConfigureAwait(false);
    }

    private UpdateResult Result(UpdateOutcome outcome, string? to, string? reason = null) => new()
    {
        Service = spec.Name,
        Image = spec.Image ?? "",
        Outcome = outcome,
        To = to,
        Reason = reason,
        At = time.GetUtcNow(),
    };
}
