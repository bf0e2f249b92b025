using Microsoft.Extensions.Logging;
using Podwake.Activation;
using Podwake.Control;
using Podwake.Podman;
using Podwake.Specs;
using Podwake.Updates;

namespace Podwake.Serve;

/// <summary>
/// <c>podwake update</c> for the services of one <c>podwake serve</c>: check (<see cref="ImageCheck"/>), pull, create
/// the new container (<c>podwake-NAME-next</c>) and let the activator swap it in (<see cref="ServiceActivator.ReplaceAsync"/>):
/// beside the running one with a drain, or proved with no traffic while dormant. Replaced: the old container is
/// removed and the new one takes the service's name. Not ready in time: the new container is removed and the tag
/// points at the old image again (a rollback, as podman auto-update does), so a re-created container is the old one.
/// </summary>
/// <remarks>
/// One update per service at a time (a second is refused at once, not queued). An update and a wake never race: the
/// activator runs an update's new run as it runs a wake (one at a time, connections held meanwhile).
/// </remarks>
internal sealed class ServeUpdater
{
    private readonly IReadOnlyList<ServiceRuntime> _services;
    private readonly PodmanClient _podman;
    private readonly Func<IRegistryDigests> _registry;
    private readonly bool _rootless;
    private readonly TimeProvider _time;
    private readonly ILoggerFactory _loggers;
    private readonly ILogger _logger;
    private readonly Dictionary<string, SemaphoreSlim> _locks;

    public ServeUpdater(IReadOnlyList<ServiceRuntime> services, PodmanClient podman, Func<IRegistryDigests> registry, bool rootless, TimeProvider time, ILoggerFactory loggers)
    {
        _services = services;
        _podman = podman;
        _registry = registry;
        _rootless = rootless;
        _time = time;
        _loggers = loggers;
        _logger = loggers.CreateLogger("podwake.update");
        _locks = services.ToDictionary(s => s.Spec.Name, _ => new SemaphoreSlim(1, 1), StringComparer.Ordinal);
    }

    /// <summary>Time to wait for the old container's connections after the switch (<see cref="UpdateDefaults.Drain"/>).</summary>
    public TimeSpan Drain { get; init; } = UpdateDefaults.Drain;

    /// <summary>The services asked for (all with <c>update:</c> set when none are named), one after the other.</summary>
    public async Task<UpdateReport> UpdateAsync(UpdateRequest request, CancellationToken cancellationToken)
    {
        var named = request.Services.Count > 0;
        var chosen = named
            ? _services.Where(s => request.Services.Contains(s.Spec.Name, StringComparer.Ordinal)).ToList()
            : _services.Where(s => s.Spec.Update != UpdatePolicy.None).ToList();
        var unknown = request.Services.Where(n => !_services.Any(s => s.Spec.Name == n)).ToList();
        IRegistryDigests? registry = null;
        string? unreadable = null;
        try
        {
            registry = chosen.Any(s => s.Spec.Update == UpdatePolicy.Registry) ? _registry() : null;
        }
        catch (EnvironmentException ex)
        {
            // A broken auth file or registries.conf: every registry check would fail the same way.
            unreadable = ex.Message;
        }

        try
        {
            var results = new List<UpdateResult>();
            foreach (var service in chosen)
            {
                results.Add(unreadable is not null && service.Spec.Update == UpdatePolicy.Registry
                    ? new UpdateResult { Service = service.Spec.Name, Image = service.Spec.Image!, Outcome = UpdateOutcome.Failed, Reason = unreadable, At = _time.GetUtcNow() }
                    : await UpdateOneAsync(service, request.DryRun, registry, cancellationToken).ConfigureAwait(false));
            }

            return new UpdateReport { Pid = Environment.ProcessId, Results = results, Unknown = unknown };
        }
        finally
        {
            registry?.Dispose();
        }
    }

    /// <summary>
    /// <c>serve --update-interval</c>: every service with <c>update:</c> set, every <paramref name="interval"/> (the first
    /// run one interval after start), until <paramref name="cancellationToken"/>. A failed run is logged, not fatal.
    /// </summary>
    public async Task RunPeriodicallyAsync(TimeSpan interval, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(interval, _time, cancellationToken).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            if (cancellationToken.IsCancellationRequested)
            {
                return;
            }

            try
            {
                await UpdateAsync(new UpdateRequest([], DryRun: false), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                ServeLog.UpdateRunFailed(_logger, ex.Message);
            }
        }
    }

    private async Task<UpdateResult> UpdateOneAsync(ServiceRuntime service, bool dryRun, IRegistryDigests? registry, CancellationToken cancellationToken)
    {
        var spec = service.Spec;
        var image = spec.Image!;
        UpdateResult Result(UpdateOutcome outcome, string? from, string? to, string? reason = null) =>
            new() { Service = spec.Name, Image = image, Outcome = outcome, From = from, To = to, Reason = reason, At = _time.GetUtcNow() };

        if (spec.Update == UpdatePolicy.None || spec.Build is not null)
        {
            var why = spec.Build is not null
                ? "its image is built from build: (podwake serve builds it at start); update: applies to registry and local images"
                : $"it has update: none; set update: registry or update: local in {spec.Location.File} to let podwake update it";
            return Result(UpdateOutcome.Skipped, service.ImageDigest, null, why);
        }

        var gate = _locks[spec.Name];
        if (!await gate.WaitAsync(TimeSpan.Zero, cancellationToken).ConfigureAwait(false))
        {
            return Result(UpdateOutcome.Failed, service.ImageDigest, null, $"an update of {spec.Name} is running already");
        }

        try
        {
            UpdateResult result;
            try
            {
                result = await CheckAndSwapAsync(service, dryRun, registry, Result, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is PodmanException or PodmanUnavailableException or HttpRequestException or IOException or EnvironmentException)
            {
                // podman's API went away or refused a step mid-update (or serve is stopping): a failed update, said in one line.
                result = Result(UpdateOutcome.Failed, service.ImageDigest, null, ex.Message);
            }

            if (!dryRun)
            {
                service.LastUpdate = result;
            }

            ServeLog.UpdateResult(_logger, result.ToLine());
            return result;
        }
        finally
        {
            gate.Release();
        }
    }

    private async Task<UpdateResult> CheckAndSwapAsync(
        ServiceRuntime service, bool dryRun, IRegistryDigests? registry, Func<UpdateOutcome, string?, string?, string?, UpdateResult> result, CancellationToken cancellationToken)
    {
        var spec = service.Spec;
        var image = spec.Image!;
        if (service.Workload is not ContainerWorkload old)
        {
            return result(UpdateOutcome.Skipped, null, null, "a pod: service's images are not updated by podwake");
        }

        ImageCheckResult check;
        string? oldImageId;
        try
        {
            oldImageId = await old.ImageIdAsync(cancellationToken).ConfigureAwait(false);
            check = await ImageCheck.CheckAsync(image, spec.Update, oldImageId, _podman.InspectImageAsync, registry!, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is RegistryCheckException or InvalidOperationException or PodmanException)
        {
            return result(UpdateOutcome.Failed, service.ImageDigest, null, ex.Message);
        }

        service.ImageDigest = check.CurrentDigest ?? service.ImageDigest;
        if (!check.Changed)
        {
            return result(UpdateOutcome.UpToDate, check.CurrentDigest, check.CurrentDigest, null);
        }

        if (dryRun)
        {
            return result(UpdateOutcome.WouldUpdate, check.CurrentDigest, check.AvailableDigest, null);
        }

        // The registry's image is pulled by its digest: the tag moves to it only once it proved ready. A serve killed
        // mid-update (or a rollback) leaves the tag where it was, so a container created from it later is the old one.
        var candidateImage = image;
        if (check.NeedsPull)
        {
            candidateImage = ImageCheck.Pinned(image, check.AvailableDigest);
            try
            {
                // Log lines, never a terminal: serve is a daemon by the time it updates.
                ServeLog.Pulling(_logger, spec.Name, candidateImage);
                var progress = new PullProgress(_time, line => ServeLog.ImageStep(_logger, spec.Name, line));
                var id = await _podman.PullImageAsync(candidateImage, progress.Report, cancellationToken, registry?.CredentialsFor(image)).ConfigureAwait(false);
                ServeLog.ImageStep(_logger, spec.Name, progress.Summary(candidateImage, id));
            }
            catch (ImagePullException ex)
            {
                return result(UpdateOutcome.Failed, check.CurrentDigest, check.AvailableDigest, ex.Message);
            }
        }

        var candidate = new ContainerWorkload(spec with { Image = candidateImage }, _podman, _rootless, _time, _loggers.CreateLogger($"podwake.{spec.Name}"), $"{spec.ContainerName}-next");
        ReplaceOutcome outcome;
        try
        {
            await candidate.CreateAsync(cancellationToken).ConfigureAwait(false);
            service.Candidate = candidate;
            outcome = await service.Service.Activator.ReplaceAsync(candidate, Drain).ConfigureAwait(false);
        }
        catch (PodmanException ex)
        {
            outcome = ReplaceOutcome.NotStarted($"creating the new container failed: {ex.Message}");
        }

        var newDigest = ImageCheck.DigestOf(await _podman.InspectImageAsync(candidateImage, CancellationToken.None).ConfigureAwait(false), image) ?? check.AvailableDigest;
        service.Candidate = null;
        if (outcome.Replaced)
        {
            // The activator serves on the new workload from here, whatever podman says next.
            service.Workload = candidate;
            service.ImageDigest = newDigest;
            try
            {
                if (candidateImage != image)
                {
                    await _podman.TagImageAsync(candidateImage, image, CancellationToken.None).ConfigureAwait(false);
                }

                await old.RemoveAsync(CancellationToken.None).ConfigureAwait(false);
                await candidate.RenameAsync(spec.ContainerName, CancellationToken.None).ConfigureAwait(false);
            }
            catch (PodmanException ex)
            {
                return result(UpdateOutcome.Failed, check.CurrentDigest, newDigest,
                    $"the new image {image}@{UpdateResult.Short(newDigest)} took over, but finishing the swap failed: {ex.Message}");
            }

            return result(UpdateOutcome.Updated, check.CurrentDigest, newDigest, null);
        }

        await candidate.RemoveAsync(CancellationToken.None).ConfigureAwait(false);
        if (candidateImage == image && oldImageId is not null)
        {
            // A tag that was already on the new image (pulled by hand, or update: local) names the old one again: a
            // container re-created later is the old one, and the next update tries the new one again.
            await _podman.TagImageAsync(oldImageId, image, CancellationToken.None).ConfigureAwait(false);
        }

        return outcome.RolledBack
            ? result(UpdateOutcome.RolledBack, check.CurrentDigest, newDigest, $"the new image {image}@{UpdateResult.Short(newDigest)} {Lowered(outcome.Reason)}")
            : result(UpdateOutcome.Failed, check.CurrentDigest, newDigest, outcome.Reason);
    }

    /// <summary>"not ready within 30s (ready.timeout); …" after "the new image X": reads as one sentence.</summary>
    private static string Lowered(string? reason) => reason switch
    {
        null or "" => "failed",
        _ when reason.StartsWith("not ready", StringComparison.Ordinal) => "was " + reason,
        _ => "failed: " + reason,
    };
}
