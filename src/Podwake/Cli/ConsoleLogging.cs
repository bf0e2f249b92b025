using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Podwake.Host;
using Podwake.Logs;

namespace Podwake.Cli;

/// <summary>
/// Logs go to stderr, one line each; under systemd (JOURNAL_STREAM set) in its format with
/// &lt;N&gt; priority prefixes so the journal keeps levels. Stdout stays for results.
/// </summary>
internal static class ConsoleLogging
{
    /// <param name="services">
    /// The services this process runs: their lines are also kept in the runtime directory (Logs/ServiceLogProvider)
    /// for podwake logs and podwake events.
    /// </param>
    public static ILoggerFactory Create(bool verbose, IReadOnlyCollection<string>? services = null) => LoggerFactory.Create(builder =>
    {
        if (services is { Count: > 0 } && ServiceLogs(services) is { } provider)
        {
            builder.AddProvider(provider);
        }

        builder.SetMinimumLevel(verbose ? LogLevel.Debug : LogLevel.Information);
        builder.AddFilter("System", LogLevel.Warning);
        if (Environment.GetEnvironmentVariable("JOURNAL_STREAM") is { Length: > 0 })
        {
            builder.AddSystemdConsole(o => o.IncludeScopes = false);
        }
        else
        {
            builder.AddSimpleConsole(o =>
            {
                o.SingleLine = true;
                o.TimestampFormat = "HH:mm:ss.fff ";
                o.IncludeScopes = false;
            });
        }

        builder.Services.Configure<ConsoleLoggerOptions>(o => o.LogToStandardErrorThreshold = LogLevel.Trace);
    });

    private static ServiceLogProvider? ServiceLogs(IReadOnlyCollection<string> services)
    {
        try
        {
            return new ServiceLogProvider(RuntimePaths.FromEnvironment(), services, TimeProvider.System, Warn);
        }
        catch (EnvironmentException ex)
        {
            Warn($"podwake's lines are not kept for podwake logs: {ex.Message}");
            return null;
        }

        // Not through a logger: this is the logging itself failing. In the console's format, as a warning.
        static void Warn(string message) =>
            Console.Error.WriteLine(Environment.GetEnvironmentVariable("JOURNAL_STREAM") is { Length: > 0 } ? $"<4>podwake: warning: {message}" : $"podwake: warning: {message}");
    }
}
