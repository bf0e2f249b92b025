namespace Podwake.Control;

/// <summary>
/// What a client asks on a control socket, one JSON document, then it shuts its side down: <c>status</c> (the
/// default, also for a client that sends nothing) or <c>update</c>.
/// </summary>
internal sealed record ControlRequest
{
    public const string Status = "status";
    public const string Update = "update";

    public string Command { get; init; } = Status;

    /// <summary>For <c>update</c>: the services to update; empty means every one with <c>update:</c> set.</summary>
    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>For <c>update</c>: only check and say what would change.</summary>
    public bool DryRun { get; init; }
}
