using System.Diagnostics;

namespace Podwake.Tests.Units;

/// <summary>Runs a real program and collects its exit code, stdout and stderr.</summary>
internal static class ToolRunner
{
    public static (int ExitCode, string Output, string Error) Run(string program, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(program, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = "/",
        };
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Failed to start {program}");
        var error = process.StandardError.ReadToEndAsync();
        var output = process.StandardOutput.ReadToEnd();
        if (!process.WaitForExit(TimeSpan.FromSeconds(60)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{program} ran for more than 60 s");
        }

        return (process.ExitCode, output, error.Result);
    }
}
