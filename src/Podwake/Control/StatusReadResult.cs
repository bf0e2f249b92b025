namespace Podwake.Control;

/// <summary>What <see cref="StatusClient"/> read: the documents of the processes that answered, and the PIDs of those that did not in time.</summary>
internal sealed record StatusReadResult(IReadOnlyList<StatusDocument> Documents, IReadOnlyList<int> Unresponsive);
