namespace Podwake.Logs;

/// <summary>One state change <c>podwake events</c> prints (docs/logs.md lists the names).</summary>
internal sealed record ServiceEvent
{
    public required DateTime Time { get; init; }

    public required string Service { get; init; }

    /// <summary>The stable machine name (<see cref="ServiceEvents"/>): waking, ready, failed, dormant, ...</summary>
    public required string Event { get; init; }

    /// <summary>The log line's event id it came from.</summary>
    public int Id { get; init; }

    public required string Message { get; init; }

    /// <summary>The line's named values (Milliseconds, Reason, ExitCode, ...), as text.</summary>
    public IReadOnlyDictionary<string, string>? Fields { get; init; }
}
