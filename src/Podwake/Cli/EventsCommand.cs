using System.CommandLine;
using Podwake.Host;
using Podwake.Logs;
using Podwake.Specs;

namespace Podwake.Cli;

/// <summary>
/// <c>podwake events [--json] [NAME...]</c> (and <c>podwake status --watch</c>): one line per state change of every
/// service, or the named ones, as it happens, until interrupted.
/// </summary>
internal static class EventsCommand
{
    public static Command Create()
    {
        var names = new Argument<string[]>("NAME") { Arity = ArgumentArity.ZeroOrMore, Description = "Only these services (all by default)" };
        var json = new Option<bool>("--json") { Description = "One JSON object a line for machines" };
        var command = new Command("events", "Print each service's state changes (waking, ready, dormant, failed, ...) as they happen, until Ctrl-C")
        {
            names, json,
        };
        command.SetAction((result, cancellationToken) => RunAsync(result.GetValue(names) ?? [], result.GetValue(json), cancellationToken));
        return command;
    }

    public static async Task<int> RunAsync(IReadOnlyCollection<string> names, bool json, CancellationToken cancellationToken)
    {
        if (names.FirstOrDefault(n => !ServiceParser.IsValidName(n)) is { } bad)
        {
            await Console.Error.WriteLineAsync($"podwake: error: {bad} is not a service name ([a-z0-9][a-z0-9-]{{0,47}})");
            return ExitCodes.UserError;
        }

        RuntimePaths paths;
        try
        {
            paths = RuntimePaths.FromEnvironment();
        }
        catch (EnvironmentException ex)
        {
            await Console.Error.WriteLineAsync($"podwake: error: {ex.Message}");
            return ExitCodes.EnvironmentError;
        }

        using var interruption = new Interruption(cancellationToken);
        using var watcher = new EventWatcher(paths, names, TimeProvider.System);
        try
        {
            await watcher.RunAsync(e => Console.Out.WriteLine(json ? LogText.Json(e) : LogText.Format(e)), interruption.Token);
        }
        catch (OperationCanceledException) when (interruption.Token.IsCancellationRequested)
        {
            // Ctrl-C or SIGTERM: the end a watch is for.
        }

        return ExitCodes.Success;
    }
}
