using Podwake.Updates;

namespace Podwake.Control;

/// <summary>What a serve (or an activator) answers to an <c>update</c> request: a result per service it runs that was asked for.</summary>
internal sealed record UpdateReport
{
    public required int Pid { get; init; }

    public required IReadOnlyList<UpdateResult> Results { get; init; }

    /// <summary>Names asked for that this process does not run (another serve, or a deployed service, may).</summary>
    public IReadOnlyList<string> Unknown { get; init; } = [];
}
