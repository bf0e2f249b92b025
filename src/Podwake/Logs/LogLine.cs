namespace Podwake.Logs;

/// <summary>One line <c>podwake logs</c> prints: a container's output or podwake's own line about the service.</summary>
internal sealed record LogLine
{
    public required DateTime Time { get; init; }

    /// <summary>The container's name, or <c>podwake</c> for podwake's own lines.</summary>
    public required string Source { get; init; }

    public required string Service { get; init; }

    /// <summary>podwake's lines only: their level (Information, Warning, Error...).</summary>
    public string? Level { get; init; }

    /// <summary>podwake's lines only: the event id.</summary>
    public int? Id { get; init; }

    public required string Message { get; init; }

    public const string PodwakeSource = "podwake";
}
