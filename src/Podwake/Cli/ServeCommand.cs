using System.CommandLine;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using Podwake.Metrics;
using Podwake.Podman;
using Podwake.Serve;
using Podwake.Specs;
using Podwake.Updates;

namespace Podwake.Cli;

/// <summary><c>podwake serve PATH...</c>: hold the listeners in this process and wake containers on demand.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("PATH") { Arity = ArgumentArity.OneOrMore, Description = "Service files, or directories of *.yaml" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log every connection" };
        var updateInterval = new Option<string?>("--update-interval")
        {
            Description = "Also update the services with update: set every INTERVAL (e.g. 24h, 6h, 30m; as podwake update does)",
            HelpName = "INTERVAL",
        };
        updateInterval.Validators.Add(result =>
        {
            if (result.GetValue(updateInterval) is { } text && !Duration.TryParse(text, out var value, out var problem) | value <= TimeSpan.Zero)
            {
                result.AddError($"--update-interval: {(problem is { Length: > 0 } ? problem : "must be longer than 0")}");
            }
        });
        var metrics = MetricsAddress.CreateOption($"Serve Prometheus metrics at http://ADDR/metrics (e.g. {MetricsAddress.Example})");
        var command = new Command("serve", "Listen for every service and wake its container on the first connection; Ctrl-C stops and removes them")
        {
            paths, verbose, updateInterval, metrics,
        };
        command.SetAction((result, _) =>
        {
            TimeSpan? interval = result.GetValue(updateInterval) is { } text && Duration.TryParse(text, out var value, out var unused) ? value : null;
            IPEndPoint? metricsAt = result.GetValue(metrics) is { } address && MetricsAddress.TryParse(address, out var endpoint) ? endpoint : null;
            return RunAsync(result.GetValue(paths)!, result.GetValue(verbose), interval, metricsAt);
        });
        return command;
    }

    private static async Task<int> RunAsync(string[] paths, bool verbose, TimeSpan? updateInterval, IPEndPoint? metricsAt)
    {
        var load = SpecLoader.Load(paths);
        var problems = load.Diagnostics.Concat(load.Services.SelectMany(DeployOnlyKeys.Problems)).ToList();
        if (problems.Count > 0)
        {
            foreach (var diagnostic in problems)
            {
                await Console.Error.WriteLineAsync(diagnostic.ToString());
            }

            return ExitCodes.UserError;
        }

        // Bound first: an address in use fails the start before any container is made.
        MetricsListener? metrics = null;
        if (metricsAt is not null)
        {
            try
            {
                metrics = MetricsListener.Bind(metricsAt);
            }
            catch (SocketException ex)
            {
                await Console.Error.WriteLineAsync($"podwake: error: --metrics {metricsAt}: {ex.Message}: choose a free address and port");
                return ExitCodes.EnvironmentError;
            }
        }

        await using var metricsListener = metrics;
        using var loggers = ConsoleLogging.Create(verbose, [.. load.Services.Select(s => s.Name)]);
        var logger = loggers.CreateLogger("podwake.serve");
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        // The terminal closing: its session gets SIGHUP, whose default would end serve without removing anything.
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
        using var starting = new CancellationTokenSource();
        var host = new ServeHost(load.Services, loggers, TimeProvider.System, RegistryFor)
        {
            UpdateInterval = updateInterval,
        };
        try
        {
            var start = host.StartAsync(starting.Token);
            if (await Task.WhenAny(start, stop.Task) == stop.Task)
            {
                await starting.CancelAsync();
            }

            await start;
            foreach (var service in host.Services)
            {
                Console.WriteLine($"{service.Spec.Name}: {string.Join(", ", service.ListenAddresses)} -> {(service.Spec.Kube is null ? "container" : "pod")} {service.Workload.DisplayName} (dormant)");
            }

            if (metrics is not null)
            {
                metrics.Start(() => host.Snapshot().Services, TimeProvider.System);
                Console.WriteLine($"podwake: metrics at http://{metrics.LocalEndPoint}/metrics");
            }

            Console.WriteLine("podwake: serving; Ctrl-C stops and removes the containers");
            await stop.Task;
            return ExitCodes.Success;
        }
        catch (OperationCanceledException) when (stop.Task.IsCompleted)
        {
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ExitCodes.IsEnvironmentFailure(ex))
        {
            await Console.Error.WriteLineAsync($"podwake: error: {ex.Message}");
            return ExitCodes.EnvironmentError;
        }
        catch (ImageBuildException ex)
        {
            await Console.Error.WriteLineAsync($"podwake: error: {ex.Message}");
            return ExitCodes.UserError;
        }
        catch (PodmanException ex)
        {
            await Console.Error.WriteLineAsync($"podwake: error: podman refused: {ex.Message}");
            return ExitCodes.EnvironmentError;
        }
        finally
        {
            // A start refused before any service was set up (a name held, a port taken) has nothing to stop or remove.
            if (host.Services.Count > 0)
            {
                ServeLog.Stopping(logger);
            }

            await host.DisposeAsync();
        }

        // Credentials and registries.conf are read again for each update run, as podman reads them for each pull.
        static IRegistryDigests RegistryFor() => new RegistryClient(RegistryAccess.Load(RegistryAccessPaths.FromEnvironment()), TimeProvider.System);

        void OnSignal(PosixSignalContext context)
        {
            // Handled here: the process must not die before the containers are removed.
            context.Cancel = true;
            stop.TrySetResult();
        }
    }
}
