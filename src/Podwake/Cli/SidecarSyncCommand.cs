using System.CommandLine;
using Podwake.Sidecars;
using Podwake.Specs;

namespace Podwake.Cli;

/// <summary>
/// <c>podwake sidecar sync NAME [--spec FILE]</c>: make the containers match the list now. What the generated oneshot
/// unit runs (with the spec copy); by hand, a deployed service's pass runs here, and a served one's is asked of its serve.
/// </summary>
internal static class SidecarSyncCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The sidecar: service" };
        var spec = new Option<string?>("--spec") { HelpName = "FILE", Description = "The service file (deploy's spec copy); by default the deployed one" };
        var verbose = new Option<bool>("--verbose", "-v") { Description = "Log podman's API" };
        var command = new Command("sync", "Start what the list has and is not running, remove containers whose key left the list") { name, spec, verbose };
        command.SetAction(async (result, cancellationToken) =>
        {
            var service = result.GetRequiredValue(name);
            if (await SidecarTarget.PathsAsync(service) is not { } paths)
            {
                return ExitCodes.UserError;
            }

            try
            {
                var specFile = result.GetValue(spec);
                var loaded = specFile is not null ? await LoadAsync(specFile, service) : await SidecarTarget.DeployedSpecAsync(service, cancellationToken);
                if (loaded is null && specFile is not null)
                {
                    await Console.Error.WriteLineAsync($"podwake: error: {specFile} has no valid service named {service}: run podwake deploy again");
                    return ExitCodes.UserError;
                }

                if (loaded is null)
                {
                    // Not deployed here: a serve runs it and watches the timestamp.
                    using (var store = SidecarStore.Open(paths, create: false)!)
                    {
                        store.Touch();
                    }

                    Console.WriteLine($"{service}: not deployed by this user; touched {paths.Timestamp}, which podwake serve watches");
                    return ExitCodes.Success;
                }

                if (loaded?.Sidecar is null)
                {
                    await Console.Error.WriteLineAsync($"podwake: error: service {service} has no sidecar: section");
                    return ExitCodes.UserError;
                }

                using var loggers = ConsoleLogging.Create(result.GetValue(verbose));
                var logger = loggers.CreateLogger("podwake.sidecar");
                DateTime lastPass;
                do
                {
                    await using var podman = await SidecarTarget.PodmanAsync(cancellationToken);
                    var sync = new SidecarSync(loaded, podman.Client, paths, "systemd", logger, TimeProvider.System);
                    using var runner = new SidecarRunner(sync, paths, podman.Client, logger, TimeProvider.System);
                    await runner.RunAsync(untilIdle: true, cancellationToken);
                    lastPass = runner.TimestampAtLastPass;
                }
                while (!cancellationToken.IsCancellationRequested && SidecarRunner.AskedAgain(paths, lastPass));

                return ExitCodes.Success;
            }
            catch (Exception ex) when (ExitCodes.IsEnvironmentFailure(ex) || ex is Podman.PodmanException or InvalidDataException)
            {
                await Console.Error.WriteLineAsync($"podwake: error: {ex.Message}");
                return ExitCodes.EnvironmentError;
            }
        });
        return command;
    }

    private static async Task<ServiceSpec?> LoadAsync(string file, string service)
    {
        var load = SpecLoader.Load([file]);
        foreach (var diagnostic in load.Diagnostics)
        {
            await Console.Error.WriteLineAsync(diagnostic.ToString());
        }

        return load.Succeeded ? load.Services.FirstOrDefault(s => s.Name == service) : null;
    }
}
