using System.CommandLine;
using System.Runtime.InteropServices;
using Podwake.Deploy;
using Podwake.Host;
using Podwake.Podman;
using Podwake.Specs;

namespace Podwake.Cli;

/// <summary><c>podwake deploy PATH... [--system] [--dry-run]</c>: install services into systemd (docs/systemd.md).</summary>
internal static class DeployCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH") { Arity = ArgumentArity.OneOrMore, Description = "Service files, or directories of *.yaml/*.yml files" };
        var system = new Option<bool>("--system") { Description = "Install into the system manager instead of a user's (root; needs systemd as PID 1)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print what would change and change nothing" };
        var updateInterval = new Option<string?>("--update-interval")
        {
            HelpName = "DURATION",
            Description = "How often podwake-update.timer runs podwake update for services with update: set (e.g. 6h; at most 24h; default daily)",
        };
        var metrics = MetricsAddress.CreateOption($"Also install podwake-metrics.socket: Prometheus metrics at http://ADDR/metrics, one short podwake metrics per scrape (e.g. {MetricsAddress.Example})");
        var command = new Command("deploy", "Build or pull the images, install the units into systemd and start the sockets; unchanged services are left alone")
        {
            paths,
            system,
            dryRun,
            updateInterval,
            metrics,
        };
        command.SetAction((result, cancellationToken) => RunAsync(
            result.GetRequiredValue(paths),
            result.GetValue(system),
            result.GetValue(dryRun),
            result.GetValue(updateInterval),
            result.GetValue(metrics) is { } address && MetricsAddress.TryParse(address, out var endpoint) ? endpoint : null,
            result.InvocationConfiguration.Output,
            result.InvocationConfiguration.Error,
            cancellationToken));
        return command;
    }

    private static async Task<int> RunAsync(string[] paths, bool system, bool dryRun, string? updateIntervalText, System.Net.IPEndPoint? metrics, TextWriter output, TextWriter error, CancellationToken cancellationToken)
    {
        TimeSpan? updateInterval = null;
        if (updateIntervalText is not null)
        {
            if (!Duration.TryParse(updateIntervalText, out var parsed, out var problem) || parsed < TimeSpan.FromMinutes(1))
            {
                await error.WriteLineAsync($"podwake: --update-interval {updateIntervalText}: {(problem.Length > 0 ? problem : "at least 1m")}").ConfigureAwait(false);
                return ExitCodes.UserError;
            }

            updateInterval = parsed;
        }

        var loaded = SpecLoader.Load(paths);
        var problems = loaded.Diagnostics.ToList();
        if (problems.Count > 0)
        {
            await WriteAllAsync(error, problems).ConfigureAwait(false);
            return ExitCodes.UserError;
        }

        // SIGINT, SIGTERM and SIGHUP cancel the apply instead of ending the process: the applier stops between steps and
        // rolls back what it applied (with no cancellation: a second signal does not cut the rollback short). Before, the
        // runtime's default handling ended the process at once, leaving a namespace, units or a container behind.
        using var interrupt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var received = 0;
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            Interlocked.CompareExchange(ref received, (int)context.Signal, 0);
            interrupt.Cancel();
        }

        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
        cancellationToken = interrupt.Token;
        try
        {
            var me = await UnixUser.CurrentAsync(cancellationToken).ConfigureAwait(false);
            var options = new DeployOptions { System = system, DryRun = dryRun, PodwakePath = PodwakeBinary.Path };
            var planner = new DeployPlanner(options, me);
            var (plan, refused) = await planner.PlanAsync(loaded.Services, cancellationToken).ConfigureAwait(false);
            if (plan is null)
            {
                await WriteAllAsync(error, refused).ConfigureAwait(false);
                return ExitCodes.UserError;
            }

            if (PodwakeBinary.SourceTreeWarning(options.PodwakePath) is { } warning)
            {
                await error.WriteLineAsync(warning).ConfigureAwait(false);
            }

            if (dryRun)
            {
                await output.WriteAsync(plan.Describe()).ConfigureAwait(false);
                return ExitCodes.Success;
            }

            // An address another program holds is refused before anything changes, not after the services were deployed.
            if (metrics is not null)
            {
                if (DeployApplier.MetricsTarget(plan) is not { } own)
                {
                    await error.WriteLineAsync("podwake: error: --metrics installs podwake-metrics.socket into your own manager, and no service of this deploy goes there (all run_as:): deploy one of yours with --metrics; nothing was changed").ConfigureAwait(false);
                    return ExitCodes.UserError;
                }

                if (MetricsUnits.AddressProblem(own, metrics) is { } taken)
                {
                    await error.WriteLineAsync($"podwake: error: {taken}").ConfigureAwait(false);
                    return ExitCodes.EnvironmentError;
                }
            }

            // A name a running serve owns is refused before anything changes: deploy would replace its container.
            using var names = DeployNameLocks(plan);
            await new DeployApplier(planner, output, updateInterval) { Metrics = metrics }.ApplyAsync(loaded.Services, plan, cancellationToken).ConfigureAwait(false);
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (received != 0)
        {
            var signal = (PosixSignal)received;
            await error.WriteLineAsync($"podwake: deploy interrupted by {signal}: rolled back").ConfigureAwait(false);
            return ExitCodes.Interrupted(signal);
        }
        catch (ImageBuildException ex)
        {
            await error.WriteLineAsync($"podwake: error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.UserError;
        }
        catch (Exception ex) when (ExitCodes.IsEnvironmentFailure(ex))
        {
            await error.WriteLineAsync($"podwake: error: {ex.Message}").ConfigureAwait(false);
            return ExitCodes.EnvironmentError;
        }
    }

    /// <summary>
    /// Takes the names (ServiceNameLock) of the services deployed into this user's own podman for the whole apply, so a
    /// serve of one of them is refused meanwhile; for another user's (root deploying <c>run_as:</c>) only checks them: root
    /// creates nothing in that user's runtime directory.
    /// </summary>
    private static ServiceNameLock DeployNameLocks(DeployPlan plan)
    {
        foreach (var service in plan.Services.Where(s => s.Target.User is not null))
        {
            var paths = RuntimePaths.ForUser(service.Target.Manager.RuntimeDirectory);
            if (ServiceNameLock.Holder(paths, service.Spec.Name) is { } holder)
            {
                throw new EnvironmentException(ServiceNameLock.Refusal(service.Spec.Name, holder));
            }
        }

        var own = plan.Services.Where(s => s.Target.User is null).Select(s => s.Spec.Name);
        return ServiceNameLock.Acquire(RuntimePaths.FromEnvironment(), own, ServiceNameLock.DeployOwner);
    }

    private static async Task WriteAllAsync(TextWriter error, IEnumerable<Diagnostic> problems)
    {
        foreach (var problem in problems)
        {
            await error.WriteLineAsync(problem.ToString()).ConfigureAwait(false);
        }
    }
}
