using System.CommandLine;
using System.Runtime.InteropServices;
using Podwake.Activate;
using Podwake.Specs;
using Podwake.Systemd;

namespace Podwake.Cli;

/// <summary>
/// <c>podwake activate NAME --spec FILE [--system]</c>: internal, run by the generated <c>podwake-NAME.service</c> with
/// the listening sockets in LISTEN_FDS. Exits 0 when the service went idle and its container stopped.
/// </summary>
internal static class ActivateCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The deployed service" };
        var spec = new Option<string>("--spec") { HelpName = "FILE", Description = "The service file deploy installed", Required = true };
        var system = new Option<bool>("--system") { Description = "Run under the system manager rather than a user's" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log every connection" };
        var command = new Command("activate", "Internal: run by a deployed service's socket unit; adopts its sockets and wakes its container")
        {
            name,
            spec,
            system,
            verbose,
        };
        command.Hidden = true;
        command.SetAction((result, _) => RunAsync(result.GetRequiredValue(name), result.GetRequiredValue(spec), result.GetValue(system), result.GetValue(verbose)));
        return command;
    }

    private static async Task<int> RunAsync(string name, string specPath, bool system, bool verbose)
    {
        var load = SpecLoader.Load([specPath]);
        foreach (var diagnostic in load.Diagnostics)
        {
            await Console.Error.WriteLineAsync(diagnostic.ToString());
        }

        var spec = load.Services.FirstOrDefault(s => s.Name == name);
        if (!load.Succeeded || spec is null)
        {
            if (load.Succeeded)
            {
                await Console.Error.WriteLineAsync($"podwake: error: {specPath} has no service named {name}: run podwake deploy again");
            }

            return ExitCodes.UserError;
        }

        using var loggers = ConsoleLogging.Create(verbose, [spec.Name]);
        using var notifier = new SystemdNotifier();
        var stop = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        ActivateHost? host = null;
        try
        {
            var manager = system ? SystemdManager.System : SystemdManager.CurrentUser();
            host = new ActivateHost(spec, new Systemctl(manager), notifier, loggers, TimeProvider.System);
            host.Start(ListenFds.Adopt());
            await Task.WhenAny(host.Finished, stop.Task);
            return ExitCodes.Success;
        }
        catch (Exception ex) when (ExitCodes.IsEnvironmentFailure(ex))
        {
            await Console.Error.WriteLineAsync($"podwake: error: {ex.Message}");
            return ExitCodes.EnvironmentError;
        }
        finally
        {
            if (host is not null)
            {
                await host.DisposeAsync();
            }
        }

        void OnSignal(PosixSignalContext context)
        {
            // Handled here: the connections are closed and the container unit stopped before the process ends.
            context.Cancel = true;
            stop.TrySetResult();
        }
    }
}
