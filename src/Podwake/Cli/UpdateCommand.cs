using System.CommandLine;
using System.Text.Json;
using Podwake.Control;
using Podwake.Deploy;
using Podwake.Host;
using Podwake.Updates;

namespace Podwake.Cli;

/// <summary>
/// <c>podwake update [NAME...] [--dry-run] [--json]</c>: every service podwake runs on this host for this user (those of
/// each running serve, through its control socket, and the deployed ones: root's reach every manager and service user)
/// checked for a newer image and moved to it with no refused connection, or rolled back.
/// </summary>
internal static class UpdateCommand
{
    public static Command Create()
    {
        var names = new Argument<string[]>("NAME") { Arity = ArgumentArity.ZeroOrMore, Description = "Only these services (default: every one with update: set)" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Only check and print what would change; pull nothing, change nothing" };
        var json = new Option<bool>("--json") { Description = "Print JSON for machines" };
        var command = new Command("update", "Update services to the newest image their update: policy allows, with no refused connection; roll back when the new one is not ready")
        {
            names, dryRun, json,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                return await RunAsync(new UpdateRequest(result.GetValue(names) ?? [], result.GetValue(dryRun)), result.GetValue(json), cancellationToken);
            }
            catch (Exception ex) when (ExitCodes.IsEnvironmentFailure(ex))
            {
                await Console.Error.WriteLineAsync($"podwake: error: {ex.Message}");
                return ExitCodes.EnvironmentError;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(UpdateRequest request, bool json, CancellationToken cancellationToken)
    {
        var paths = RuntimePaths.FromEnvironment();
        var results = new List<UpdateResult>();
        var unanswered = false;
        var reports = await UpdateClient.RequestAllAsync(paths, request, (pid, why) =>
        {
            unanswered = true;
            Console.Error.WriteLine($"podwake: error: serve pid {pid} did not answer the update ({why}); its services were not updated");
        }, cancellationToken);
        results.AddRange(reports.SelectMany(r => r.Results));

        // The deployed services (a dormant one's swap here, an awake one's handed to its activator); serve's first, so
        // a name both would have is impossible (the name lock), and the order is stable.
        var deployed = await DeployedUpdater.ForCallerAsync(Console.Error, TimeProvider.System, cancellationToken);
        using (var registry = new RegistryClient(RegistryAccess.Load(RegistryAccessPaths.FromEnvironment()), TimeProvider.System))
        {
            results.AddRange(await deployed.UpdateAsync(request, registry, cancellationToken));
        }

        var found = results.Select(r => r.Service).ToHashSet(StringComparer.Ordinal);
        var missing = request.Services.Where(n => !found.Contains(n)).Distinct(StringComparer.Ordinal).ToList();
        foreach (var name in missing)
        {
            await Console.Error.WriteLineAsync(unanswered
                ? $"podwake: error: '{name}' was not updated: no serve that answered and no deployed service runs it (the serve that did not answer may)"
                : $"podwake: error: no running podwake serve or deployed service is named '{name}' (see podwake status)");
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(results, ControlJsonContext.Default.ListUpdateResult));
        }
        else if (results.Count == 0 && missing.Count == 0)
        {
            Console.WriteLine("Nothing to update: no running podwake serve or deployed service has update: registry or update: local.");
        }
        else
        {
            results.ForEach(r => Console.WriteLine(r.ToLine()));
        }

        // A serve that did not answer fails the run only when it may have run what was asked for: every service (no
        // names), or a name no one answered for. Named services all updated elsewhere: its warning is enough.
        return ExitCode(results, missing.Count > 0, unanswered && (request.Services.Count == 0 || missing.Count > 0));
    }

    /// <summary>
    /// 2 when a check or a pull failed or a serve did not answer (the registry, the network, podman), else 3 when an
    /// update rolled back, else 1 when a name was unknown or not updatable, else 0.
    /// </summary>
    internal static int ExitCode(IReadOnlyList<UpdateResult> results, bool unknownNames, bool unanswered) =>
        unanswered || results.Any(r => r.Outcome == UpdateOutcome.Failed) ? ExitCodes.EnvironmentError
        : results.Any(r => r.Outcome == UpdateOutcome.RolledBack) ? ExitCodes.RolledBack
        : unknownNames || results.Any(r => r.Outcome == UpdateOutcome.Skipped) ? ExitCodes.UserError
        : ExitCodes.Success;
}
