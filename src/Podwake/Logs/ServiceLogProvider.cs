using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Podwake.Host;

namespace Podwake.Logs;

/// <summary>
/// Keeps the lines of each service's categories (<c>podwake.NAME</c>, <c>podwake.NAME.proxy</c>) in its own file
/// (<see cref="ServiceLogFile"/>), beside the console: the hosts this runs on have no journald to keep them.
/// </summary>
internal sealed class ServiceLogProvider(RuntimePaths paths, IReadOnlyCollection<string> services, TimeProvider time, Action<string> warn) : ILoggerProvider
{
    private readonly ConcurrentDictionary<string, ServiceLogFile> _files = new(StringComparer.Ordinal);

    public ILogger CreateLogger(string categoryName) =>
        ServiceOf(categoryName, services) is { } service
            ? new ServiceLogger(_files.GetOrAdd(service, name => new ServiceLogFile(paths, name, warn)), time)
            : Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance;

    /// <summary>The service a logger category is about: <c>podwake.NAME</c> or <c>podwake.NAME.*</c>; null for any other.</summary>
    internal static string? ServiceOf(string category, IReadOnlyCollection<string> services)
    {
        const string prefix = "podwake.";
        if (!category.StartsWith(prefix, StringComparison.Ordinal))
        {
            return null;
        }

        var rest = category[prefix.Length..];
        return services
            .Where(s => rest == s || rest.StartsWith(s + ".", StringComparison.Ordinal))
            .MaxBy(s => s.Length);
    }

    public void Dispose()
    {
        foreach (var file in _files.Values)
        {
            file.Dispose();
        }
    }
}
