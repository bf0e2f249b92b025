namespace Podwake.Specs;

/// <summary>When traffic may flow to a woken container.</summary>
internal sealed record ReadySpec
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);

    public required ReadyKind Kind { get; init; }

    /// <summary>Container port probed by <see cref="ReadyKind.Tcp"/>, <see cref="ReadyKind.Udp"/> and <see cref="ReadyKind.Http"/>.</summary>
    public int Port { get; init; }

    /// <summary>Request path for <see cref="ReadyKind.Http"/>, starting with '/'.</summary>
    public string? HttpPath { get; init; }

    /// <summary>Command and arguments for <see cref="ReadyKind.Exec"/>.</summary>
    public IReadOnlyList<string>? Exec { get; init; }

    public TimeSpan Timeout { get; init; } = DefaultTimeout;
}
