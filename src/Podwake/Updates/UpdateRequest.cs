namespace Podwake.Updates;

/// <summary>What <c>podwake update</c> asks of a runtime (a serve through its control socket, or the deployed services).</summary>
/// <param name="Services">The names to update; empty: every service with <c>update:</c> set.</param>
/// <param name="DryRun">Only check and say what would change.</param>
internal sealed record UpdateRequest(IReadOnlyList<string> Services, bool DryRun);
