using System.Globalization;
using System.Text;

namespace Podwake.Activation;

/// <summary>A run that ended before it was ready, explained for the log and <c>podwake status</c>.</summary>
/// <param name="ExitCode">The container's exit code; null when podman could not tell (the restart policy then counts it a failure).</param>
/// <param name="Message">Names the container and its exit code, then its last lines of output.</param>
internal sealed record WorkloadExit(int? ExitCode, string Message)
{
    /// <summary>How many of the container's last lines an explanation shows.</summary>
    public const int TailLines = 10;

    /// <summary><c>container podwake-web exited with code 3 during start; its last lines:</c> and the lines, indented.</summary>
    public static WorkloadExit DuringStart(string container, int? exitCode, IReadOnlyList<string>? lastLines)
    {
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"container {container} exited with code {exitCode?.ToString(CultureInfo.InvariantCulture) ?? "unknown"} during start");
        if (lastLines is null)
        {
            text.Append("; its output could not be read (podman logs ").Append(container).Append(')');
        }
        else if (lastLines.Count == 0)
        {
            text.Append("; it printed nothing");
        }
        else
        {
            text.Append("; its last lines:");
            foreach (var line in lastLines)
            {
                text.Append("\n  ").Append(line);
            }
        }

        return new WorkloadExit(exitCode, text.ToString());
    }
}
