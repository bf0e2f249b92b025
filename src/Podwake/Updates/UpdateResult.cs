using System.Globalization;

namespace Podwake.Updates;

/// <summary>
/// One service's update: <c>podwake update</c> prints it as a line (<see cref="ToLine"/>) or JSON, and <c>status</c>
/// shows the last one. Digests are manifest digests (<c>sha256:…</c>), as the registry and <c>podman images --digests</c>
/// name them.
/// </summary>
internal sealed record UpdateResult
{
    public required string Service { get; init; }

    /// <summary>The image reference of the service file (<c>registry:5000/app:1</c>).</summary>
    public required string Image { get; init; }

    public required UpdateOutcome Outcome { get; init; }

    /// <summary>The digest the service ran before (the container's image).</summary>
    public string? From { get; init; }

    /// <summary>The digest it runs now, or would (dry run), or was rolled back from.</summary>
    public string? To { get; init; }

    /// <summary>Why it rolled back or failed.</summary>
    public string? Reason { get; init; }

    /// <summary>When the update ended.</summary>
    public DateTimeOffset At { get; init; }


    /// <summary>The line <c>podwake update</c> prints: <c>web: updated IMAGE@sha256:OLD -> sha256:NEW</c>.</summary>
    public string ToLine() => Outcome switch
    {
        UpdateOutcome.UpToDate => $"{Service}: up to date ({Image}{Pinned(To ?? From)})",
        UpdateOutcome.WouldUpdate => $"{Service}: would update {Image}{Pinned(From)} -> {To ?? "a newer image"} (dry run: nothing changed)",
        UpdateOutcome.Updated => $"{Service}: updated {Image}{Pinned(From)} -> {To}",
        UpdateOutcome.RolledBack => $"{Service}: rolled back: {Reason} (still on {Image}{Pinned(From)})",
        UpdateOutcome.Failed => $"{Service}: failed: {Reason}",
        UpdateOutcome.Skipped => $"{Service}: not updated: {Reason}",
        _ => throw new ArgumentOutOfRangeException(nameof(Outcome), Outcome, null),
    };

    /// <summary>Short form of a digest for people: the algorithm and 12 hex digits.</summary>
    public static string Short(string digest) =>
        digest.StartsWith("sha256:", StringComparison.Ordinal) && digest.Length > 19 ? digest[..19] : digest;

    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{ToLine()} at {At:O}");

    private static string Pinned(string? digest) => digest is null ? "" : "@" + digest;
}
