using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Podwake.Sidecars;

namespace Podwake.Cli;

/// <summary><c>podwake sidecar list NAME [--json]</c>: each key of the list, its container and that container's state.</summary>
internal static class SidecarListCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("NAME") { Description = "The sidecar: service" };
        var json = new Option<bool>("--json") { Description = "Print JSON for machines" };
        var command = new Command("list", "List the keys of a sidecar: service, their containers and states") { name, json };
        command.SetAction(async (result, cancellationToken) =>
        {
            var service = result.GetRequiredValue(name);
            if (await SidecarTarget.PathsAsync(service) is not { } paths)
            {
                return ExitCodes.UserError;
            }

            try
            {
                await using var podman = await SidecarTarget.PodmanAsync(cancellationToken);
                var keys = await SidecarListing.ReadAsync(service, paths, podman.Client, cancellationToken);
                if (result.GetValue(json))
                {
                    Console.WriteLine(JsonSerializer.Serialize(keys, SidecarJsonContext.Default.IReadOnlyListSidecarKeyStatus));
                    return ExitCodes.Success;
                }

                Print(keys);
                return ExitCodes.Success;
            }
            catch (Exception ex) when (ExitCodes.IsEnvironmentFailure(ex) || ex is Podman.PodmanException)
            {
                await Console.Error.WriteLineAsync($"podwake: error: {ex.Message}");
                return ExitCodes.EnvironmentError;
            }
        });
        return command;
    }

    private static void Print(IReadOnlyList<SidecarKeyStatus> keys)
    {
        var rows = keys.Select(k => new[]
        {
            SidecarTarget.Printable(k.Key),
            k.Container,
            k.State + (k.ExitCode is { } code ? $" ({code.ToString(CultureInfo.InvariantCulture)})" : ""),
            k.CalledAt.ToLocalTime().ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture),
            SidecarTarget.Printable(string.Join(' ', k.Arguments)),
        }).Prepend(["KEY", "CONTAINER", "STATE", "CALLED", "ARGUMENTS"]).ToList();
        var widths = Enumerable.Range(0, 4).Select(i => rows.Max(r => r[i].Length)).ToList();
        foreach (var row in rows)
        {
            Console.WriteLine(string.Join("  ", row.Take(4).Select((cell, i) => cell.PadRight(widths[i]))) + "  " + row[4]);
        }
    }
}
