namespace Podwake.Logs;

/// <summary>One line of a service's own log (<c>log/NAME.jsonl</c>): what podwake said about the service, and when.</summary>
internal sealed record ServiceLogRecord
{
    /// <summary>UTC (Kind Utc: written as RFC 3339 ending in Z), to the tick.</summary>
    public required DateTime Time { get; init; }

    public required string Service { get; init; }

    /// <summary>The .NET level name: Trace, Debug, Information, Warning, Error, Critical.</summary>
    public required string Level { get; init; }

    /// <summary>The <c>[LoggerMessage]</c> event id (ActivationLog 1-20, ProxyLog 1xx, ServeLog 2xx, ActivateLog 4xx, SidecarLog 5xx).</summary>
    public int Id { get; init; }

    /// <summary>The event's name in the source (the logging method, e.g. <c>Ready</c>); null when it has none.</summary>
    public string? Event { get; init; }

    public required string Message { get; init; }

    /// <summary>The message's named values (e.g. <c>Milliseconds</c> of Ready), as text; null when it has none.</summary>
    public IReadOnlyDictionary<string, string>? Fields { get; init; }
}
