using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Podwake.Activation;
using Podwake.Control;
using Podwake.Deploy;
using Podwake.Host;
using Podwake.Updates;

namespace Podwake.Cli;

/// <summary><c>podwake status [NAME] [--json] [--watch]</c>: the state of the services of every running serve; with --watch, <see cref="EventsCommand"/>.</summary>
internal static class StatusCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("NAME") { Arity = ArgumentArity.ZeroOrOne, Description = "Only this service" };
        var json = new Option<bool>("--json") { Description = "Print JSON for machines" };
        var watch = new Option<bool>("--watch") { Description = "Print each state change as it happens until Ctrl-C (as podwake events)" };
        var command = new Command("status", "Show each service's state, open connections, last wake time and idle countdown") { name, json, watch };
        command.SetAction(async (result, cancellationToken) =>
        {
            if (result.GetValue(watch))
            {
                return await EventsCommand.RunAsync(result.GetValue(name) is { } one ? [one] : [], result.GetValue(json), cancellationToken);
            }

            try
            {
                return await RunAsync(result.GetValue(name), result.GetValue(json), cancellationToken);
            }
            catch (EnvironmentException ex)
            {
                await Console.Error.WriteLineAsync($"podwake: error: {ex.Message}");
                return ExitCodes.EnvironmentError;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(string? name, bool json, CancellationToken cancellationToken)
    {
        var paths = RuntimePaths.FromEnvironment();
        var read = await StatusClient.ReadAllAsync(paths, cancellationToken);
        foreach (var pid in read.Unresponsive)
        {
            await Console.Error.WriteLineAsync(
                $"podwake: warning: serve pid {pid} is unresponsive: its control socket did not answer within {StatusClient.QueryTimeout.TotalSeconds:F0} s "
                + "(stopped, e.g. by SIGSTOP or a debugger, or overloaded); its services are not listed");
        }

        var running = read.Documents;
        var documents = running.Concat(await DeployedStatus.DormantAsync(paths, running, cancellationToken)).ToList();
        var filtered = documents
            .Select(d => d with { Services = [.. d.Services.Where(s => name is null || s.Name == name)] })
            .Where(d => d.Services.Count > 0)
            .ToList();
        if (name is not null && filtered.Count == 0)
        {
            await Console.Error.WriteLineAsync($"podwake: error: no running podwake serve or deployed service is named '{name}' (see podwake status)");
            return ExitCodes.UserError;
        }

        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(filtered, ControlJsonContext.Default.ListStatusDocument));
            return ExitCodes.Success;
        }

        if (filtered.Count == 0)
        {
            Console.WriteLine("No podwake serve is running and no service is deployed (podwake serve PATH, or podwake deploy PATH).");
            return ExitCodes.Success;
        }

        Console.Write(FormatTable(filtered));
        return ExitCodes.Success;
    }

    internal static string FormatTable(IEnumerable<StatusDocument> documents)
    {
        string[] header = ["SERVICE", "STATE", "OPEN", "HELD", "FLOWS", "DROPPED", "EVICTED", "WAKES", "LAST WAKE", "IDLE IN", "DIGEST", "LAST UPDATE", "LISTEN", "PID"];
        var rows = new List<string[]> { header };
        foreach (var document in documents)
        {
            foreach (var s in document.Services)
            {
                rows.Add(
                [
                    s.Name,
                    s.State.ToText(),
                    s.OpenConnections.ToString(CultureInfo.InvariantCulture),
                    s.HeldConnections.ToString(CultureInfo.InvariantCulture),
                    s.LiveFlows.ToString(CultureInfo.InvariantCulture),
                    s.DroppedDatagrams.ToString(CultureInfo.InvariantCulture),
                    s.EvictedFlows.ToString(CultureInfo.InvariantCulture),
                    s.Wakes.ToString(CultureInfo.InvariantCulture),
                    s.LastWakeMilliseconds is { } ms ? $"{ms:F0} ms" : "-",
                    s.IdleRemainingSeconds is { } idle ? $"{idle:F1} s" : "-",
                    s.ImageDigest is { } digest ? ShortDigest(digest) : "-",
                    s.LastUpdate is { } update ? string.Create(CultureInfo.InvariantCulture, $"{update.Outcome.ToText()} {update.At.UtcDateTime:yyyy-MM-dd HH:mm}Z") : "-",
                    string.Join(",", s.Listen),
                    document.Pid?.ToString(CultureInfo.InvariantCulture) ?? "-",
                ]);
            }
        }

        var widths = Enumerable.Range(0, header.Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        var text = new System.Text.StringBuilder();
        foreach (var row in rows)
        {
            text.AppendJoin("  ", row.Select((cell, i) => i == row.Length - 1 ? cell : cell.PadRight(widths[i]))).Append('\n');
        }

        foreach (var s in documents.SelectMany(d => d.Services).Where(s => s.Pod is not null))
        {
            text.Append(CultureInfo.InvariantCulture, $"{s.Name}: pod {s.Pod}\n");
        }

        foreach (var s in documents.SelectMany(d => d.Services).Where(s => s.Sidecars is not null))
        {
            text.Append(CultureInfo.InvariantCulture, $"{s.Name}: sidecar, {s.Sidecars!.Count} key(s){(s.Sidecars.Count > 0 ? ":" : "")}\n");
            foreach (var key in s.Sidecars)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {SidecarTarget.Printable(key.Key)}  {key.Container}  {key.State}{(key.ExitCode is { } code ? $" ({code})" : "")}\n");
            }
        }

        foreach (var s in documents.SelectMany(d => d.Services).Where(s => s.State == ServiceState.Failed && s.LastError is not null))
        {
            text.Append(CultureInfo.InvariantCulture, $"{s.Name}: last wake failed: {s.LastError}\n");
        }

        foreach (var s in documents.SelectMany(d => d.Services).Where(s => s.LastUpdate?.Outcome is UpdateOutcome.RolledBack or UpdateOutcome.Failed))
        {
            text.Append(CultureInfo.InvariantCulture, $"{s.Name}: last update {s.LastUpdate!.Outcome.ToText()}: {s.LastUpdate.Reason}\n");
        }

        return text.ToString();
    }

    /// <summary>12 hex digits, as podman shows image IDs: <c>sha256:0123456789ab…</c> → <c>0123456789ab</c>.</summary>
    private static string ShortDigest(string digest)
    {
        var hex = digest.StartsWith("sha256:", StringComparison.Ordinal) ? digest["sha256:".Length..] : digest;
        return hex.Length > 12 ? hex[..12] : hex;
    }
}
