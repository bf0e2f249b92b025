using System.Diagnostics;
using Podwake.Activation;
using Podwake.Host;
using Podwake.Network;
using Podwake.Podman;
using Podwake.Units;

namespace Podwake.Activate;

/// <content>
/// A container unit that fails to start. systemd refuses a unit started five times in ten seconds (start limit) and
/// would refuse every later wake, so the failed state is reset and the start asked once more. A container removed
/// behind podwake's back (<c>podman rm -f</c>) is created again exactly as deploy created it (the same
/// <c>podman create</c> words and spec-hash label, so the next deploy keeps it); a container that exits during
/// start is explained (exit code, last lines) rather than reported as systemctl's "control process exited".
/// </content>
internal sealed partial class UnitWorkload
{
    private async Task StartOrRecoverAsync(CancellationToken cancellationToken)
    {
        var retried = false;
        while (true)
        {
            // CLOCK_MONOTONIC in microseconds, as systemd stamps a unit's runs (not the injected TimeProvider: this is
            // compared with systemd's own clock).
            var askedAt = Stopwatch.GetTimestamp() / (Stopwatch.Frequency / 1_000_000);
            try
            {
                await _systemctl.StartAsync(_unit, cancellationToken).ConfigureAwait(false);
                return;
            }
            catch (ExternalCommandException ex) when (!cancellationToken.IsCancellationRequested)
            {
                // A start systemd refused (the start limit: five in ten seconds) ran nothing: reset and ask once more.
                // A container that exits at start reaches the limit within one wake by itself (Wants=, systemd's
                // restarts, podwake's retries), and explaining the refusal explained the run before it with the output
                // since it (CI: "it printed nothing"). Its reason cannot be read back (after a failed run systemd keeps
                // Result=exit-code and systemctl says "control process exited"), so a refusal is told by its effect:
                // the unit failed and no run began since podwake asked. Not a run that began and failed (restart: no
                // must not run it twice), nor a start that someone's stop replaced (deploy, redeploy: a second start
                // would cancel their stop; CI: "Job for ...-container.service canceled").
                var refused = !ex.Result.Stderr.Contains("canceled", StringComparison.Ordinal) && await RefusedSinceAsync(askedAt, cancellationToken).ConfigureAwait(false);
                await _systemctl.RunAsync(["reset-failed", _unit], cancellationToken).ConfigureAwait(false);
                var recreated = await RecreateIfGoneAsync(cancellationToken).ConfigureAwait(false);
                if (!retried && (refused || recreated))
                {
                    retried = true;
                    continue;
                }

                var state = recreated ? null : await _container.ReadStateAsync(cancellationToken).ConfigureAwait(false);
                if (state is ("exited" or "stopped", var code) && code != 0)
                {
                    throw new WorkloadExitedException(await ExplainExitAsync(code, cancellationToken).ConfigureAwait(false));
                }

                throw;
            }
        }
    }

    /// <summary>The unit is failed and its last run began before <paramref name="askedAt"/> (monotonic µs): the start ran nothing.</summary>
    private async Task<bool> RefusedSinceAsync(long askedAt, CancellationToken cancellationToken)
    {
        var show = await _systemctl.RunAsync(["show", "--property=ActiveState,ExecMainStartTimestampMonotonic", _unit], cancellationToken).ConfigureAwait(false);
        if (!show.Succeeded)
        {
            return false;
        }

        var properties = show.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(line => line.Split('=', 2))
            .Where(pair => pair.Length == 2)
            .ToDictionary(pair => pair[0], pair => pair[1].Trim(), StringComparer.Ordinal);
        return properties.GetValueOrDefault("ActiveState") == "failed"
            && long.TryParse(properties.GetValueOrDefault("ExecMainStartTimestampMonotonic"), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var lastRun)
            && lastRun < askedAt;
    }

    /// <summary>Creates the container again when it is gone; false when it is there (the start failed for another reason).</summary>
    private async Task<bool> RecreateIfGoneAsync(CancellationToken cancellationToken)
    {
        // podman container exists: 0 there, 1 not there, anything else podman itself failed.
        var exists = await ExternalCommand.RunAsync(_podmanPath, ["container", "exists", _spec.ContainerName], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (exists.ExitCode != 1)
        {
            return false;
        }

        var image = _spec.Image!;
        var imageId = await ExternalCommand.RunAsync(_podmanPath, ["image", "inspect", "--format", "{{.Id}}", image], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!imageId.Succeeded)
        {
            throw new InvalidOperationException(
                $"container {_spec.ContainerName} is gone and its image {image} is no longer in podman's local storage (removed with podman rmi?): " +
                "run podwake deploy again, which builds or pulls it and creates the container (or podwake update, for a service with update: set); a wake never pulls");
        }

        var options = new UnitGeneratorOptions
        {
            System = _systemctl.Manager.IsSystem,
            Rootless = _rootless,
            NetworkNamespace = !_rootless && File.Exists(ServiceNetwork.NamespacePath(_spec.Name)),
            PodmanPath = _podmanPath,
        };
        var create = UnitGenerator.CreateCommand(_spec, options, _systemctl.Manager.RuntimeDirectory);
        var words = SpecHash.Labelled(create, SpecHash.Of(create, imageId.Stdout.Trim()));
        foreach (var volume in _spec.Volumes.Where(v => v.IsBindMount && !Directory.Exists(v.Source) && !File.Exists(v.Source)))
        {
            Directory.CreateDirectory(volume.Source);
        }

        (await ExternalCommand.RunAsync(words[0], words.Skip(1), cancellationToken: cancellationToken).ConfigureAwait(false))
            .ThrowIfFailed($"create the container {_spec.ContainerName} again");

        // Rootless: the new container publishes on new loopback ports.
        _publishedPorts = null;
        if (_rootless)
        {
            _publishedPorts = _container.ReadPublishedPortsAsync();
        }

        ActivateLog.Recreated(_logger, _spec.Name, _spec.ContainerName);
        return true;
    }
}
