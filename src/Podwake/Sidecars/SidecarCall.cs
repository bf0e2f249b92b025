namespace Podwake.Sidecars;

/// <summary>One call of a side-car wrapper, as recorded in the state folder (<see cref="SidecarCallFile"/>).</summary>
internal sealed record SidecarCall
{
    /// <summary>The call's ID (the wrapper's random hex): its answer is <c>status/ID</c>.</summary>
    public required string Id { get; init; }

    /// <summary>When the call was made (Unix seconds, the caller's clock): the later of two calls for one key wins.</summary>
    public required long Time { get; init; }

    /// <summary>The inode of the caller's network namespace (<c>/proc/self/ns/net</c>), when the wrapper could read it.</summary>
    public ulong? NetnsInode { get; init; }

    /// <summary>The caller waits for the container's exit, code and output.</summary>
    public bool Foreground { get; init; }

    /// <summary>The call's arguments, appended to <c>sidecar.command</c>.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>The variables the wrapper recorded (those <c>pass_env</c> and an <c>env:</c> key name) that were set.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();

    /// <summary>The key sync derived; set in the list's entries, null in a call not yet taken.</summary>
    public string? Key { get; init; }
}
