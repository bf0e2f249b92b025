using System.CommandLine;
using Podwake.Host;
using Podwake.Logs;
using Podwake.Specs;

namespace Podwake.Cli;

/// <summary>
/// <c>podwake logs NAME [-f] [--since T] [--json]</c>: the container's output across wakes interleaved by time with
/// podwake's own lines about the service, in either runtime.
/// </summary>
internal static class LogsCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The service" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new lines until Ctrl-C" };
        var since = new Option<string?>("--since")
        {
            HelpName = "TIME",
            Description = "Only lines since TIME: RFC 3339 (2026-11-30T18:00:00Z), a date, Unix seconds or a duration back from now (10m)",
        };
        var json = new Option<bool>("--json") { Description = "One JSON object a line for machines" };
        var command = new Command("logs", "Show a service's container output across wakes, interleaved with podwake's own lines about it")
        {
            name, follow, since, json,
        };
        command.SetAction(async (result, cancellationToken) =>
        {
            try
            {
                return await RunAsync(result.GetRequiredValue(name), result.GetValue(follow), result.GetValue(since), result.GetValue(json), cancellationToken);
            }
            catch (Exception ex) when (ExitCodes.IsEnvironmentFailure(ex))
            {
                await Console.Error.WriteLineAsync($"podwake: error: {ex.Message}");
                return ExitCodes.EnvironmentError;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(string name, bool follow, string? sinceText, bool json, CancellationToken cancellationToken)
    {
        if (!ServiceParser.IsValidName(name))
        {
            await Console.Error.WriteLineAsync($"podwake: error: {name} is not a service name ([a-z0-9][a-z0-9-]{{0,47}})");
            return ExitCodes.UserError;
        }

        var started = TimeProvider.System.GetUtcNow();
        DateTimeOffset? since = null;
        if (sinceText is not null)
        {
            if (!LogSince.TryParse(sinceText, started, out var value, out var problem))
            {
                await Console.Error.WriteLineAsync($"podwake: error: {problem}");
                return ExitCodes.UserError;
            }

            since = value;
        }

        var source = new ServiceLogSource(RuntimePaths.FromEnvironment(), name);
        using var interruption = new Interruption(cancellationToken);
        if (!await source.ExistsAsync(interruption.Token))
        {
            await Console.Error.WriteLineAsync($"podwake: error: no service named '{name}' has logs here (no container podwake-{name}, no podwake log lines); podwake status lists the services");
            return ExitCodes.UserError;
        }

        var container = new List<LogLine>();
        foreach (var containerName in await source.ContainersAsync(interruption.Token))
        {
            container.AddRange(await source.ContainerLinesAsync(containerName, since, interruption.Token));
        }

        var (podwake, podwakeFile) = source.PodwakeLines(since);
        using var file = podwakeFile;
        var history = LogText.Merge(container, podwake).ToList();
        Print(history);
        if (!follow)
        {
            return ExitCodes.Success;
        }

        var follower = new LogFollower(source, podwakeFile, since ?? started, TimeProvider.System);
        follower.Printed(history);
        try
        {
            await follower.RunAsync(Print, interruption.Token);
        }
        catch (OperationCanceledException) when (interruption.Token.IsCancellationRequested)
        {
            // Ctrl-C or SIGTERM: the end a follow is for.
        }

        return ExitCodes.Success;

        void Print(IReadOnlyList<LogLine> lines)
        {
            foreach (var line in lines)
            {
                Console.Out.WriteLine(json ? LogText.Json(line) : LogText.Format(line));
            }
        }
    }
}
